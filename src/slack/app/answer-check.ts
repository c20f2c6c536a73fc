import { USER_CHECK_IDS } from '../../domain/evaluate-user.js';
import { identityKey, type SlackIdentity } from '../../domain/identity.js';
import type { ScanResult, Verdict } from '../../domain/types.js';
import { buildAccountAnswer, buildAccountNotScanned, buildRootAnswer, buildScanDone, buildScanFailed, buildScanUnavailable, buildSummaryAnswer } from '../blocks/check-account.js';
import { buildUserStatusAnswer, type AnswerSource } from '../blocks/check-answer.js';
import { buildInternalError, buildNoScanYet, buildRefusal, buildUsage } from '../blocks/check-usage.js';
import type { SlackMessage } from '../blocks/format.js';
import { needsAdmin, parseCheckCommand, queryText, type CheckQuery } from './check-command.js';
import type { BotDeps } from './deps.js';
import type { IamUserRef, LatestScan } from './ports.js';
import { describeError } from './respond.js';
import { liveRows, scanRows, withLiveCases, withPeople } from './status-rows.js';

type Deps = Pick<BotDeps, 'ports' | 'admins' | 'now'>;

/** IAM names are unique regardless of case, so `user Alice` finds `alice`. */
function refsNamed(scan: ScanResult, userName: string): IamUserRef[] {
  const wanted = userName.toLowerCase();
  const refs: IamUserRef[] = [];
  for (const account of scan.accounts) {
    const hit = account.verdicts.find((v) => USER_CHECK_IDS.has(v.check) && v.principal.toLowerCase() === wanted);
    if (hit) refs.push({ accountId: account.accountId, userName: hit.principal });
  }
  return refs;
}

async function userAnswer(query: Extract<CheckQuery, { kind: 'me' | 'slack-user' | 'iam-user' }>, askerId: string, latest: LatestScan, deps: Deps): Promise<SlackMessage> {
  const { scan } = latest;
  const now = deps.now();
  const source: AnswerSource = query.fresh ? { kind: 'live', at: now } : { kind: 'scan', at: scan.generatedAt, accounts: scan.accounts.length };
  const askAgain = queryText(query);

  if (query.kind === 'iam-user') {
    const known = refsNamed(scan, query.userName);
    let rows;
    if (!query.fresh) rows = await withLiveCases(deps.ports, scan, known, scanRows(scan, known));
    else if (known.length) rows = await liveRows(deps.ports, known, scan);
    // A user created since the scan can still be found live, in every account the scan could read.
    else rows = (await liveRows(deps.ports, scan.accounts.filter((a) => !a.error).map((a) => ({ accountId: a.accountId, userName: query.userName })), scan)).filter((r) => !r.missing);
    return buildUserStatusAnswer({ subject: { kind: 'iam-user', userName: query.userName }, rows: await withPeople(deps.ports, rows), source, askAgain, now });
  }

  const who = query.kind === 'me' ? askerId : query.slackUserId;
  const refs = await deps.ports.iamUsersOf(who);
  const rows = query.fresh ? await liveRows(deps.ports, refs, scan) : await withLiveCases(deps.ports, scan, refs, scanRows(scan, refs));
  const subject = who === askerId ? ({ kind: 'self', slackUserId: who } as const) : ({ kind: 'person', slackUserId: who } as const);
  return buildUserStatusAnswer({ subject, rows, source, askAgain, now });
}

async function identitiesOf(deps: Deps, verdicts: readonly Verdict[]): Promise<Map<string, SlackIdentity>> {
  const map = new Map<string, SlackIdentity>();
  for (const v of verdicts) {
    if (v.status !== 'fail' && v.status !== 'grace' && v.status !== 'exempt') continue;
    const identity = await deps.ports.slackIdentityOf({ accountId: v.accountId, userName: v.principal });
    if (identity) map.set(identityKey(v.accountId, v.principal), identity);
  }
  return map;
}

/**
 * The whole answer to `/mfa-check <text>` from `askerId`: parse strictly, refuse what the asker may not
 * see before looking anything up, then answer from the latest scan or, with --fresh, live.
 */
export async function answerCheck(text: string, askerId: string, deps: Deps): Promise<SlackMessage> {
  const query = parseCheckCommand(text);
  if (query.kind === 'invalid') return buildUsage({ text, reason: query.problem });
  if (query.kind === 'help') return buildUsage();
  if (needsAdmin(query, askerId) && !(await deps.admins.isAdmin(askerId))) return buildRefusal();

  if (query.kind === 'scan') {
    if (!deps.ports.scanNow) return buildScanUnavailable();
    const report = await deps.ports.scanNow();
    if (!report.finished || !report.latest) return buildScanFailed(report.latest?.scan, deps.now());
    return buildScanDone(report.latest.scan, report, deps.now(), report.latest.nextScanAt);
  }
  const latest = await deps.ports.latestScan();
  if (!latest) return buildNoScanYet();
  const now = deps.now();
  switch (query.kind) {
    case 'me':
    case 'slack-user':
    case 'iam-user':
      return userAnswer(query, askerId, latest, deps);
    case 'account': {
      const account = latest.scan.accounts.find((a) => a.accountId === query.accountId);
      if (!account) return buildAccountNotScanned(query.accountId, latest.scan, now);
      const identities = await identitiesOf(deps, account.verdicts);
      return buildAccountAnswer({ account, scan: latest.scan, identities, now, ...(latest.nextScanAt ? { nextScanAt: latest.nextScanAt } : {}) });
    }
    case 'root':
      return buildRootAnswer(latest.scan, now, latest.nextScanAt);
    case 'summary':
      return buildSummaryAnswer(latest.scan, now, latest.nextScanAt);
  }
}

/** answerCheck, or the internal-error message when it throws: the details go to the log, never to Slack. */
export async function answerCheckOrApologise(text: string, askerId: string, deps: Deps & Pick<BotDeps, 'log'>, what: string): Promise<SlackMessage> {
  try {
    return await answerCheck(text, askerId, deps);
  } catch (err) {
    deps.log.error(`${what} failed for ${askerId}: ${describeError(err)}`);
    return buildInternalError();
  }
}
