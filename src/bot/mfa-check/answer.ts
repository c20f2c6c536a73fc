import { USER_CHECK_IDS } from '../../domain/evaluate-user.js';
import { identityKey, type SlackIdentity } from '../../domain/identity.js';
import type { ScanResult, Verdict } from '../../domain/types.js';
import {
  buildAccountAnswer,
  buildAccountNotScanned,
  buildRootAnswer,
  type RootDeletion,
  buildScanDone,
  buildScanFailed,
  buildScanUnavailable,
  buildSummaryAnswer,
} from '../../slack/blocks/mfa-check/account.js';
import { buildUserStatusAnswer, type AnswerSource } from '../../slack/blocks/mfa-check/answer.js';
import { buildInternalError, buildNoScanYet, buildRefusal, buildUsage } from '../../slack/blocks/mfa-check/usage.js';
import type { SlackMessage } from '../../slack/blocks/format.js';
import { rootCredentialsDeletable } from '../../domain/root-access.js';
import { plural } from '../../slack/blocks/format.js';
import { approversFromConfig } from '../approvers.js';
import { audit, rowsOutcome } from '../audit.js';
import { needsAdmin, parseCheckCommand, queryText, type CheckQuery, type ParsedCheck } from './parse.js';
import type { BotDeps } from '../deps.js';
import type { IamUserRef, LatestScan } from '../ports.js';
import { describeError } from '../respond.js';
import { liveRows, scanRows, withLiveResults, withPeople } from '../status-rows.js';

type Deps = Pick<BotDeps, 'ports' | 'admins' | 'now'> &
  Partial<Pick<BotDeps, 'config' | 'rootAccess' | 'rootCredentials'>>;

/** An answer, and what it came to in a few words (for the audit line). */
export interface CheckAnswer {
  message: SlackMessage;
  result: string;
}

export interface AnswerOptions {
  /**
   * `--fresh` was asked for, but this person has had their share of live checks until then: answer from what was last
   * seen.
   */
  liveRefusedUntil?: Date;
}

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

async function userAnswer(
  asked: Extract<CheckQuery, { kind: 'me' | 'slack-user' | 'iam-user' }>,
  askerId: string,
  latest: LatestScan,
  deps: Deps,
  options: AnswerOptions,
): Promise<CheckAnswer> {
  const { scan } = latest;
  const now = deps.now();
  const refused = asked.fresh ? options.liveRefusedUntil : undefined;
  const query = refused ? { ...asked, fresh: false } : asked;
  const source: AnswerSource = query.fresh
    ? { kind: 'live', at: now }
    : {
        kind: 'scan',
        at: scan.generatedAt,
        accounts: scan.accounts.length,
        ...(refused ? { liveRefusedUntil: refused } : {}),
      };
  const askAgain = queryText(query);
  const from = query.fresh ? 'checked live' : refused ? 'live check refused (limit), from the scan' : 'from the scan';

  if (query.kind === 'iam-user') {
    const known = refsNamed(scan, query.userName);
    let rows;
    if (!query.fresh) rows = await withLiveResults(deps.ports, scan, known, scanRows(scan, known));
    else if (known.length) rows = await liveRows(deps.ports, known, scan);
    // A user created since the scan can still be found live, in every account the scan could read.
    else
      rows = (
        await liveRows(
          deps.ports,
          scan.accounts.filter((a) => !a.error).map((a) => ({ accountId: a.accountId, userName: query.userName })),
          scan,
        )
      ).filter((r) => !r.missing);
    const message = buildUserStatusAnswer({
      subject: { kind: 'iam-user', userName: query.userName },
      rows: await withPeople(deps.ports, rows),
      source,
      askAgain,
      now,
    });
    return { message, result: `${from}: ${rowsOutcome(rows)}` };
  }

  const who = query.kind === 'me' ? askerId : query.slackUserId;
  const refs = await deps.ports.iamUsersOf(who);
  const rows = query.fresh
    ? await liveRows(deps.ports, refs, scan)
    : await withLiveResults(deps.ports, scan, refs, scanRows(scan, refs));
  const subject =
    who === askerId ? ({ kind: 'self', slackUserId: who } as const) : ({ kind: 'person', slackUserId: who } as const);
  return {
    message: buildUserStatusAnswer({ subject, rows, source, askAgain, now }),
    result: `${from}: ${rowsOutcome(rows)}`,
  };
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
 * For an approver, where this host can delete root credentials and a scanned account's root still has some: the
 * organization's root access, read now, and the member accounts whose root credentials can go (the digest's test).
 */
async function rootDeletion(deps: Deps, askerId: string, scan: ScanResult): Promise<RootDeletion | undefined> {
  const { config, rootAccess, rootCredentials } = deps;
  if (!config || !rootAccess || !rootCredentials) return undefined;
  if (!scan.accounts.some((a) => !a.error && a.rootCredentialsPresent !== false)) return undefined;
  if (!(await approversFromConfig(config, deps.admins).isAdmin(askerId))) return undefined;
  const access = await rootAccess();
  return { access, deletable: scan.accounts.filter((a) => rootCredentialsDeletable(access, a)) };
}

/** What an audit line names as the question: the parsed question, never the text as typed. */
export function checkTarget(query: ParsedCheck): string {
  if (query.kind === 'invalid') return '(not a /mfa-check question)';
  return `${queryText(query)}${'fresh' in query && query.fresh ? ' --fresh' : ''}`;
}

/**
 * The whole answer to `/mfa-check <text>` from `askerId`: parse strictly, refuse what the asker may not
 * see before looking anything up, then answer from the latest scan or, with --fresh, live.
 */
export async function answerCheck(
  text: string,
  askerId: string,
  deps: Deps,
  options: AnswerOptions = {},
): Promise<CheckAnswer> {
  const query = parseCheckCommand(text);
  if (query.kind === 'invalid')
    return { message: buildUsage({ text, reason: query.problem }), result: 'usage: not understood' };
  if (query.kind === 'help') return { message: buildUsage(), result: 'usage' };
  if (needsAdmin(query, askerId) && !(await deps.admins.isAdmin(askerId)))
    return { message: buildRefusal(), result: 'refused: not an admin' };

  if (query.kind === 'scan') {
    if (!deps.ports.scanNow) return { message: buildScanUnavailable(), result: 'scan not available here' };
    const report = await deps.ports.scanNow();
    if (!report.finished || !report.latest)
      return { message: buildScanFailed(report.latest?.scan, deps.now()), result: 'scan failed' };
    return {
      message: buildScanDone(report.latest.scan, report.digest, deps.now(), report.latest.nextScanAt),
      result: 'scan finished',
    };
  }
  const latest = await deps.ports.latestScan();
  if (!latest) return { message: buildNoScanYet(), result: 'no scan yet' };
  const now = deps.now();
  switch (query.kind) {
    case 'me':
    case 'slack-user':
    case 'iam-user':
      return userAnswer(query, askerId, latest, deps, options);
    case 'account': {
      const account = latest.scan.accounts.find((a) => a.accountId === query.accountId);
      if (!account)
        return {
          message: buildAccountNotScanned(query.accountId, latest.scan, now),
          result: 'account not in the scan',
        };
      const identities = await identitiesOf(deps, account.verdicts);
      return {
        message: buildAccountAnswer({
          account,
          scan: latest.scan,
          identities,
          now,
          ...(latest.nextScanAt ? { nextScanAt: latest.nextScanAt } : {}),
        }),
        result: 'from the scan',
      };
    }
    case 'root': {
      const deletion = await rootDeletion(deps, askerId, latest.scan);
      return {
        message: buildRootAnswer(latest.scan, now, latest.nextScanAt, deletion),
        result: `from the scan${deletion ? `: ${plural(deletion.deletable.length, 'root deletable')}` : ''}`,
      };
    }
    case 'summary':
      return { message: buildSummaryAnswer(latest.scan, now, latest.nextScanAt), result: 'from the scan' };
  }
}

/**
 * answerCheck, or the internal-error message when it throws: the details go to the log, never to Slack.
 * Either way one audit line says who asked what (`what`: the command or the button) and what came of it.
 */
export async function answerCheckOrApologise(
  text: string,
  askerId: string,
  deps: Deps & Pick<BotDeps, 'log'>,
  what: string,
  options: AnswerOptions = {},
): Promise<SlackMessage> {
  const target = checkTarget(parseCheckCommand(text));
  try {
    const { message, result } = await answerCheck(text, askerId, deps, options);
    audit(deps.log, { user: askerId, action: what, target, result });
    return message;
  } catch (err) {
    deps.log.error(`${what} failed for ${askerId}: ${describeError(err)}`);
    audit(deps.log, { user: askerId, action: what, target, result: 'error (see the log line before)' });
    return buildInternalError();
  }
}
