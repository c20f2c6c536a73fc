import type { EnforcementStanding } from '../../domain/enforcement/steps.js';
import { enforcementDigestBlocks } from './enforcement-digest.js';
import type { KnownBlock } from '@slack/types';
import { humanAge, isoDate } from '../../domain/dates.js';
import { identityKey, type IdentityConflict, type IdentityMap, type SlackIdentity } from '../../domain/identity.js';
import { rootAccessSummary, rootCredentialsDeletable } from '../../domain/root-access.js';
import { countByStatus, type StatusCounts } from '../../domain/summary.js';
import { ROOT_PRINCIPAL, type AccountResult, type ScanResult, type Status, type Verdict } from '../../domain/types.js';
import { renderCsv } from '../../report/csv.js';
import { filterScan } from '../../domain/finding-filter.js';
import { code, escapeMrkdwn, isSlackUserId, truncate } from '../mrkdwn.js';
import {
  accountLabel,
  checkLabel,
  exemptUntil,
  countsText,
  num,
  personLabel,
  plural,
  relativeDays,
  rootStateShort,
  rootStateText,
  utcStamp,
  type SlackMessage,
} from './format.js';
import { buildDigestMemory, type DigestMemory } from './digest-memory.js';
import { rootDeleteActions } from './root-delete.js';
import { identityConflictBlocks } from './identity-conflicts.js';
import { BLOCK_IDS } from './ids.js';
import { context, divider, fitsMessage, header, packLines, section } from './limits.js';

export interface DigestInput {
  scan: ScanResult;
  identities: IdentityMap;
  now: Date;
  /** Header text; plain text, cut to 150 characters. */
  title?: string;
  /** Changes since the previous scan and the trend per account, shown under the summary. */
  memory?: DigestMemory;
  /** IAM users whose identity rules disagree: listed under the summary, since nobody is messaged about them. */
  conflicts?: readonly IdentityConflict[];
  /** Who is enforced now and who was lifted since the previous digest, per account. */
  enforcement?: EnforcementStanding;
}

/** The full findings list, for the caller to attach with files upload v2 when the message could not hold it. */
export interface DigestOverflow {
  filename: string;
  content: string;
  title: string;
}

export interface Digest extends SlackMessage {
  overflow?: DigestOverflow;
}

export const DEFAULT_DIGEST_TITLE = 'AWS console MFA digest';

/** Up to this many accounts get a section each with names listed; more get one line each. */
export const DETAIL_MAX_ACCOUNTS = 10;

const FINDING_STATUSES: ReadonlySet<Status> = new Set(['fail', 'grace', 'exempt', 'error']);
const REASON_MAX = 300;
const EXEMPTION_REASON_MAX = 200;
const ERROR_MESSAGE_MAX = 500;
const FALLBACK_MAX = 300;

interface Category {
  heading: string;
  /** "…and 412 more <more>: see the attached CSV" */
  more: string;
  lines: string[];
}

interface AccountView {
  account: AccountResult;
  counts: StatusCounts;
  failing: Verdict[];
  grace: Verdict[];
  exempt: Verdict[];
  /** Failing or erroring verdicts of the other checks (root first), minus the placeholders of an unreadable account. */
  other: Verdict[];
  categories: Category[];
}

function viewOf(account: AccountResult, identities: IdentityMap, now: Date): AccountView {
  const counts = countByStatus(account.verdicts);
  const isConsole = (v: Verdict) => v.check === 'user-console-mfa';
  const failing = account.verdicts.filter((v) => isConsole(v) && v.status === 'fail');
  const grace = account.verdicts.filter((v) => v.status === 'grace');
  const exempt = account.verdicts.filter((v) => v.status === 'exempt');
  const other = account.verdicts
    .filter((v) => (v.status === 'fail' && !isConsole(v)) || v.status === 'error')
    // An unreadable account yields one `error` verdict per check for principal "*"; the account error says it once.
    .filter((v) => !(account.error && v.status === 'error' && v.principal === '*'))
    .sort((a, b) => Number(b.principal === ROOT_PRINCIPAL) - Number(a.principal === ROOT_PRINCIPAL));
  const who = (v: Verdict) => personLabel(v.principal, identities.get(identityKey(v.accountId, v.principal)));
  const dueDate = (v: Verdict) =>
    v.deadline ? `${isoDate(v.deadline)} (${relativeDays(v.deadline, now)})` : 'date unknown';

  const categories: Category[] = [
    {
      heading: ':rotating_light: *Root and other findings*',
      more: 'findings',
      lines: other.map(
        (v) =>
          `• ${v.status === 'error' ? ':warning: ' : ''}${checkLabel(v.check)}` +
          `${v.principal === ROOT_PRINCIPAL ? '' : `, ${who(v)}`}: ` +
          `${escapeMrkdwn(truncate(v.reason, REASON_MAX))}`,
      ),
    },
    {
      heading: ':x: *Console users without MFA*',
      more: 'failing users',
      lines: failing.map((v) => `• ${who(v)}`),
    },
    {
      heading: ':hourglass_flowing_sand: *In grace period*',
      more: 'users in grace',
      lines: grace.map((v) => `• ${who(v)}: MFA due ${dueDate(v)}`),
    },
    {
      heading: ':white_circle: *Exempt*',
      more: 'exempt users',
      lines: exempt.map((v) => {
        const reason = v.exemption?.reason ?? v.reason;
        const until = exemptUntil(v);
        const check = v.check === 'user-console-mfa' ? '' : ` (${checkLabel(v.check)})`;
        return (
          `• ${who(v)}${check}: ${escapeMrkdwn(truncate(reason, EXEMPTION_REASON_MAX))}` +
          `${until ? ` (until ${until})` : ''}`
        );
      }),
    },
  ].filter((c) => c.lines.length > 0);

  return { account, counts, failing, grace, exempt, other, categories };
}

function severityOrder(a: AccountView, b: AccountView): number {
  const key = (v: AccountView): number[] => [
    v.account.error ? 0 : 1,
    -(v.other.length + v.failing.length),
    -v.grace.length,
    -v.exempt.length,
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  return a.account.accountId.localeCompare(b.account.accountId);
}

function reportAge(account: AccountResult, now: Date): string {
  return account.credentialReportGeneratedAt ? `${humanAge(account.credentialReportGeneratedAt, now)} old` : 'none';
}

function errorLines(account: AccountResult): string[] {
  if (!account.error) return [];
  const { code: errorCode, message, hint } = account.error;
  return [
    `:warning: *Could not scan this account:* ${code(truncate(errorCode, 100))} ` +
      `${escapeMrkdwn(truncate(message, ERROR_MESSAGE_MAX))}`,
    ...(hint ? [`_Hint: ${escapeMrkdwn(truncate(hint, ERROR_MESSAGE_MAX))}_`] : []),
  ];
}

function isMapped(identity: SlackIdentity | undefined): boolean {
  return identity !== undefined && isSlackUserId(identity.slackUserId);
}

interface Totals {
  accounts: number;
  erroredAccounts: number;
  failingUsers: number;
  unmappedFailing: number;
  grace: number;
  exempt: number;
  otherFindings: number;
  counts: StatusCounts;
}

function totalsOf(views: AccountView[], identities: IdentityMap): Totals {
  const all = views.flatMap((v) => v.account.verdicts);
  const failing = views.flatMap((v) => v.failing);
  return {
    accounts: views.length,
    erroredAccounts: views.filter((v) => v.account.error).length,
    failingUsers: failing.length,
    unmappedFailing: failing.filter((v) => !isMapped(identities.get(identityKey(v.accountId, v.principal)))).length,
    grace: views.reduce((n, v) => n + v.grace.length, 0),
    exempt: views.reduce((n, v) => n + v.exempt.length, 0),
    otherFindings: views.reduce((n, v) => n + v.other.length, 0),
    counts: countByStatus(all),
  };
}

function summaryParts(t: Totals): string[] {
  const parts = [`*${plural(t.accounts, 'account')} scanned*`];
  if (t.erroredAccounts) parts.push(`:warning: *${num(t.erroredAccounts)} could not be scanned*`);
  if (t.failingUsers)
    parts.push(
      `:x: *${plural(t.failingUsers, 'console user')} without ` +
        `MFA*${t.unmappedFailing ? ` (${num(t.unmappedFailing)} unmapped)` : ''}`,
    );
  if (t.otherFindings) parts.push(`:rotating_light: ${plural(t.otherFindings, 'root or other finding')}`);
  if (t.grace) parts.push(`:hourglass_flowing_sand: ${num(t.grace)} in grace`);
  if (t.exempt) parts.push(`${num(t.exempt)} exempt`);
  return parts;
}

function summaryBlocks(scan: ScanResult, t: Totals, now: Date, title: string | undefined): KnownBlock[] {
  const allClear = t.accounts > 0 && !t.erroredAccounts && !t.failingUsers && !t.otherFindings && !t.grace;
  const lines = [summaryParts(t).join(' · ')];
  if (t.accounts === 0) lines.push('No accounts were scanned.');
  else if (allClear) lines.push(':white_check_mark: Every console login has MFA.');
  return [
    header(title ?? DEFAULT_DIGEST_TITLE, BLOCK_IDS.digestHeader),
    section(lines.join('\n'), BLOCK_IDS.digestSummary),
    context([
      `Scan of ${utcStamp(scan.generatedAt)} (${humanAge(scan.generatedAt, now)} ago)`,
      `All checks: ${countsText(t.counts)}`,
      ...(scan.rootAccess ? [rootAccessText(scan)] : []),
    ]),
  ];
}

function rootAccessText(scan: ScanResult): string {
  const access = scan.rootAccess!;
  const hint = access.error?.hint ? ` (${access.error.hint})` : '';
  return truncate(escapeMrkdwn(`${rootAccessSummary(access)}${hint}`), ERROR_MESSAGE_MAX);
}

const DELETABLE_ROOT =
  ':wastebasket: Root credentials can be deleted centrally (root credentials management is on): ' +
  'this member root needs none';

function fallbackText(t: Totals, title: string | undefined): string {
  const parts = [plural(t.accounts, 'account')];
  if (t.erroredAccounts) parts.push(`${num(t.erroredAccounts)} could not be scanned`);
  parts.push(`${plural(t.failingUsers, 'console user')} without MFA`);
  if (t.otherFindings) parts.push(plural(t.otherFindings, 'root or other finding'));
  if (t.grace) parts.push(`${num(t.grace)} in grace`);
  if (t.exempt) parts.push(`${num(t.exempt)} exempt`);
  const prefix = title === undefined ? DEFAULT_DIGEST_TITLE : title.replace(/\s+/g, ' ').trim();
  return truncate(`${escapeMrkdwn(prefix)}: ${parts.join(', ')}`, FALLBACK_MAX);
}

function csvNote(filename: string, findings: number, accounts: number): KnownBlock {
  return context(
    [
      `:page_facing_up: Not everything fits in one message: all ${plural(findings, 'finding')} (fail, grace, ` +
        `exempt, error) across ${plural(accounts, 'account')} are in the attached CSV ${code(filename)}.`,
    ],
    BLOCK_IDS.digestOverflow,
  );
}

/** One section (or a few, at 3,000 characters each) per account, each category cut to `cap` lines. */
function detailBlocks(
  views: AccountView[],
  cap: number,
  now: Date,
  scan: ScanResult,
): { blocks: KnownBlock[]; truncated: boolean } {
  const blocks: KnownBlock[] = [];
  let truncated = false;
  for (const view of views) {
    const { account } = view;
    const lines = [
      `*Account ${accountLabel(account)}*`,
      ...errorLines(account),
      `Root MFA: ${rootStateText(account)} · Credential report: ${reportAge(account, now)}`,
      ...(rootCredentialsDeletable(scan.rootAccess, account) ? [DELETABLE_ROOT] : []),
      `Checks: ${countsText(view.counts)}`,
    ];
    for (const cat of view.categories) {
      lines.push(' ', `${cat.heading} (${num(cat.lines.length)})`, ...cat.lines.slice(0, cap));
      const hidden = cat.lines.length - cap;
      if (hidden > 0) {
        truncated = true;
        lines.push(`…and ${num(hidden)} more ${cat.more}: see the attached CSV`);
      }
    }
    blocks.push(divider(), ...packLines(lines).map((text) => section(text)));
    if (rootCredentialsDeletable(scan.rootAccess, account)) blocks.push(rootDeleteActions(account));
  }
  return { blocks, truncated };
}

function compactLine(view: AccountView, now: Date, scan: ScanResult): string {
  const { account } = view;
  if (account.error) {
    return (
      `• :warning: ${accountLabel(account)}: could not scan: ` +
      `${code(truncate(account.error.code, 100))} ${escapeMrkdwn(truncate(account.error.message, 150))}`
    );
  }
  const parts: string[] = [];
  if (view.failing.length) parts.push(`${num(view.failing.length)} without MFA`);
  if (view.other.length) parts.push(plural(view.other.length, 'root/other finding'));
  if (view.grace.length) parts.push(`${num(view.grace.length)} in grace`);
  if (view.exempt.length) parts.push(`${num(view.exempt.length)} exempt`);
  parts.push(`root MFA ${rootStateShort(account)}`, `report ${reportAge(account, now)}`);
  if (rootCredentialsDeletable(scan.rootAccess, account)) parts.push('root credentials deletable centrally');
  const mark =
    view.failing.length || view.other.length
      ? ':x:'
      : view.grace.length
        ? ':hourglass_flowing_sand:'
        : ':white_circle:';
  return `• ${mark} ${accountLabel(account)}: ${parts.join(' · ')}`;
}

function hasFindings(view: AccountView): boolean {
  return Boolean(view.account.error) || view.account.verdicts.some((v) => FINDING_STATUSES.has(v.status));
}

/** One line per account with findings, worst first; clean accounts are only counted. */
function compactBlocks(
  views: AccountView[],
  shown: number,
  now: Date,
  scan: ScanResult,
): { blocks: KnownBlock[]; truncated: boolean } {
  const attention = views.filter(hasFindings);
  const clean = views.length - attention.length;
  const lines: string[] = [];
  if (attention.length) lines.push(`*Accounts with findings (${num(attention.length)} of ${num(views.length)})*`);
  lines.push(...attention.slice(0, shown).map((v) => compactLine(v, now, scan)));
  const hidden = attention.length - shown;
  const accounts = hidden === 1 ? 'account' : 'accounts';
  if (hidden > 0) lines.push(`…and ${num(hidden)} more ${accounts} with findings: see the attached CSV`);
  if (clean) lines.push(`:white_check_mark: ${plural(clean, 'account has', 'accounts have')} nothing to fix.`);
  // Per-user detail is never in the compact form, so the CSV is needed whenever there is any finding.
  return { blocks: [divider(), ...packLines(lines).map((text) => section(text))], truncated: attention.length > 0 };
}

/** The largest n in [0, max] for which ok(n) holds, assuming ok is (close to) monotonic; -1 when not even ok(0). */
function largest(max: number, ok: (n: number) => boolean): number {
  if (!ok(0)) return -1;
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The channel digest. Packs as much detail as fits within Slack's limits (50 blocks, 3,000 characters
 * per section, 150 per header, and a serialized size safely under `msg_blocks_too_long`):
 * - up to DETAIL_MAX_ACCOUNTS accounts: a section per account with every category (other findings,
 *   failing users, grace, exempt) cut to the same largest number of lines that fits;
 * - more accounts, or when even the bare per-account sections would not fit: one line per account
 *   with findings, worst first, as many as fit.
 * Whenever something is left out, the message says so and `overflow` carries the full findings CSV.
 */
export function buildDigest(input: DigestInput): Digest {
  const { scan, identities, now, title } = input;
  const views = scan.accounts.map((a) => viewOf(a, identities, now)).sort(severityOrder);
  const totals = totalsOf(views, identities);
  // The memory sections are part of the head, so the fitting below leaves room for them.
  const head = [
    ...summaryBlocks(scan, totals, now, title),
    ...identityConflictBlocks(input.conflicts ?? []),
    ...(input.enforcement ? enforcementDigestBlocks(input.enforcement) : []),
    ...(input.memory ? buildDigestMemory(input.memory, identities) : []),
  ];
  const text = fallbackText(totals, title);

  const findings = scan.accounts.flatMap((a) => a.verdicts).filter((v) => FINDING_STATUSES.has(v.status));
  const filename = `mfa-findings-${isoDate(scan.generatedAt)}.csv`;
  const note = csvNote(filename, findings.length, scan.accounts.length);

  const compose = (body: { blocks: KnownBlock[]; truncated: boolean }) => {
    const overflowed = body.truncated && findings.length > 0;
    return { blocks: [...head, ...body.blocks, ...(overflowed ? [note] : [])], overflowed };
  };

  let chosen: { blocks: KnownBlock[]; overflowed: boolean } | undefined;
  if (views.length <= DETAIL_MAX_ACCOUNTS) {
    const maxLines = Math.max(0, ...views.flatMap((v) => v.categories.map((c) => c.lines.length)));
    const cap = largest(maxLines, (n) => fitsMessage(compose(detailBlocks(views, n, now, scan)).blocks));
    if (cap >= 0) chosen = compose(detailBlocks(views, cap, now, scan));
  }
  if (!chosen) {
    const attention = views.filter(hasFindings).length;
    const shown = largest(attention, (n) => fitsMessage(compose(compactBlocks(views, n, now, scan)).blocks));
    if (shown >= 0) chosen = compose(compactBlocks(views, shown, now, scan));
  }
  // Unreachable with a 150-character header, but a digest must never be refused by Slack.
  if (!chosen) chosen = { blocks: [...head, ...(findings.length ? [note] : [])], overflowed: findings.length > 0 };

  return {
    text,
    blocks: chosen.blocks,
    ...(chosen.overflowed
      ? {
          overflow: {
            filename,
            content: renderCsv(filterScan(scan, { statuses: [...FINDING_STATUSES] }).scan),
            title: `MFA findings ${isoDate(scan.generatedAt)} (${plural(findings.length, 'row')})`,
          },
        }
      : {}),
  };
}
