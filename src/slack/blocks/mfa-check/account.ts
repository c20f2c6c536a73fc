import { humanAge, isoDate } from '../../../domain/dates.js';
import { identityKey, type IdentityMap } from '../../../domain/identity.js';
import { countByStatus } from '../../../domain/summary.js';
import type { KnownBlock } from '@slack/types';
import { rootAccessSummary } from '../../../domain/root-access.js';
import {
  ROOT_PRINCIPAL,
  type AccountResult,
  type OrgRootAccess,
  type ScanResult,
  type Verdict,
} from '../../../domain/types.js';
import { channelMention, code, escapeMrkdwn, truncate } from '../../mrkdwn.js';
import { scanAgeLine } from './answer.js';
import {
  accountLabel,
  accountLabelPlain,
  checkLabel,
  countsText,
  exemptUntil,
  num,
  personLabel,
  plural,
  rootStateShort,
  rootStateText,
  utcStamp,
  type SlackMessage,
} from '../format.js';
import { fitLines } from '../fit.js';
import { context, section } from '../limits.js';
import { rootDeleteActions } from '../root-delete.js';

const REASON_MAX = 300;

function reportAge(account: AccountResult, now: Date): string {
  return account.credentialReportGeneratedAt ? `${humanAge(account.credentialReportGeneratedAt, now)} old` : 'none';
}

function errorLine(account: AccountResult): string[] {
  if (!account.error) return [];
  const hint = account.error.hint ? ` _${escapeMrkdwn(truncate(account.error.hint, REASON_MAX))}_` : '';
  return [
    `:warning: *Could not scan:* ${code(account.error.code)} ` +
      `${escapeMrkdwn(truncate(account.error.message, REASON_MAX))}${hint}`,
  ];
}

function scanContext(scan: ScanResult, now: Date, nextScanAt?: Date) {
  return context([
    scanAgeLine(scan.generatedAt, now),
    `Next scan: ${nextScanAt ? utcStamp(nextScanAt) : 'not scheduled'}`,
  ]);
}

export interface AccountAnswerInput {
  account: AccountResult;
  scan: ScanResult;
  /** Slack identities of the users listed; unmapped users say so. */
  identities: IdentityMap;
  now: Date;
  nextScanAt?: Date;
}

/** `/mfa-check account ID`: root state, counts, and every finding with the person it maps to. */
export function buildAccountAnswer(input: AccountAnswerInput): SlackMessage {
  const { account, identities, now } = input;
  const who = (v: Verdict) => personLabel(v.principal, identities.get(identityKey(v.accountId, v.principal)));
  const exemptionNote = (v: Verdict) =>
    v.exemption ? ` until ${exemptUntil(v)}: ${escapeMrkdwn(truncate(v.exemption.reason, REASON_MAX))}` : '';
  const isConsole = (v: Verdict) => v.check === 'user-console-mfa';
  const failing = account.verdicts.filter((v) => isConsole(v) && v.status === 'fail');
  const grace = account.verdicts.filter((v) => v.status === 'grace');
  const exempt = account.verdicts.filter((v) => v.status === 'exempt');
  const other = account.verdicts.filter(
    (v) => (!isConsole(v) && v.status === 'fail') || (v.status === 'error' && v.principal !== '*'),
  );
  const lines = [
    ...other.map(
      (v) =>
        `• :rotating_light: ${checkLabel(v.check)}${v.principal === ROOT_PRINCIPAL ? '' : `, ${who(v)}`}: ` +
        `${escapeMrkdwn(truncate(v.reason, REASON_MAX))}`,
    ),
    ...failing.map((v) => `• :x: ${who(v)}: no MFA`),
    ...grace.map((v) => `• :hourglass_flowing_sand: ${who(v)}: MFA due ${v.deadline ? isoDate(v.deadline) : 'soon'}`),
    ...exempt.map((v) => `• :white_circle: ${who(v)}: exempt${exemptionNote(v)}`),
  ];
  const head = [
    section(
      [
        `*Account ${accountLabel(account)}*`,
        ...errorLine(account),
        `Root MFA: ${rootStateText(account)} · Credential report: ${reportAge(account, now)}`,
        `Checks: ${countsText(countByStatus(account.verdicts))}`,
        ...(lines.length === 0 && !account.error ? [':white_check_mark: Nothing to fix.'] : []),
      ].join('\n'),
    ),
  ];
  return {
    text: truncate(
      `Account ${accountLabelPlain(account)}: ${failing.length} console ` +
        `users without MFA, ${grace.length} in grace, ${exempt.length} exempt.`,
      300,
    ),
    blocks: fitLines({
      head,
      lines,
      tail: [scanContext(input.scan, now, input.nextScanAt)],
      more: (n) => `…and ${num(n)} more: \`mfa-bot scan --format csv\` lists them all.`,
    }),
  };
}

export function buildAccountNotScanned(accountId: string, scan: ScanResult, now: Date): SlackMessage {
  return {
    text: `Account ${accountId} is not in the latest scan.`,
    blocks: [
      section(`Account ${code(accountId)} is not in the latest scan (${plural(scan.accounts.length, 'account')}).`),
      scanContext(scan, now),
    ],
  };
}

function rootLine(account: AccountResult): string {
  const root = account.verdicts.filter((v) => v.principal === ROOT_PRINCIPAL);
  const failing = root.filter((v) => v.status === 'fail' || v.status === 'error');
  const mark = account.error ? ':warning:' : failing.length ? ':x:' : ':white_check_mark:';
  const detail = account.error
    ? `could not scan: ${code(account.error.code)}`
    : failing.length
      ? failing.map((v) => `${checkLabel(v.check)}: ${escapeMrkdwn(truncate(v.reason, REASON_MAX))}`).join(' ')
      : 'nothing to fix';
  return `• ${mark} ${accountLabel(account)}: root MFA ${rootStateText(account)}. ${detail}`;
}

/** For an approver: the organization's centralized root access, and the member roots whose credentials can go. */
export interface RootDeletion {
  access: OrgRootAccess;
  deletable: AccountResult[];
}

/** At most this many "Delete root credentials" buttons in one answer (two blocks each, of Slack's 50). */
const ROOT_BUTTONS_MAX = 10;

function rootDeletionBlocks(deletion: RootDeletion | undefined): KnownBlock[] {
  if (!deletion) return [];
  const hint = deletion.access.error?.hint ? ` (${deletion.access.error.hint})` : '';
  const blocks: KnownBlock[] = [
    context([escapeMrkdwn(truncate(`${rootAccessSummary(deletion.access)}${hint}`, REASON_MAX * 2))]),
  ];
  for (const account of deletion.deletable.slice(0, ROOT_BUTTONS_MAX))
    blocks.push(
      section(`:wastebasket: ${accountLabel(account)}: this member root needs no credentials.`),
      rootDeleteActions(account),
    );
  const more = deletion.deletable.length - ROOT_BUTTONS_MAX;
  if (more > 0)
    blocks.push(
      context([`…and ${plural(more, 'more member root')} with credentials: the digest has a button under each.`]),
    );
  return blocks;
}

/**
 * `/mfa-check root`: the root user of every account, failing ones first. For an approver (`deletion`), under it the
 * member roots whose credentials can be deleted centrally, each with the digest's "Delete root credentials" button.
 */
export function buildRootAnswer(scan: ScanResult, now: Date, nextScanAt?: Date, deletion?: RootDeletion): SlackMessage {
  const rank = (a: AccountResult) =>
    a.error ? 0 : a.verdicts.some((v) => v.principal === ROOT_PRINCIPAL && v.status === 'fail') ? 1 : 2;
  const accounts = [...scan.accounts].sort((a, b) => rank(a) - rank(b) || a.accountId.localeCompare(b.accountId));
  const failing = accounts.filter((a) => rank(a) === 1).length;
  return {
    text:
      `Root users: ${num(failing)} of ${plural(scan.accounts.length, 'account')} ` +
      `${failing === 1 ? 'has' : 'have'} a root MFA finding.`,
    blocks: fitLines({
      head: [section(`*Root users* · ${plural(scan.accounts.length, 'account')}, ${num(failing)} with a finding`)],
      lines: accounts.map(rootLine),
      tail: [...rootDeletionBlocks(deletion), scanContext(scan, now, nextScanAt)],
      more: (n) => `…and ${plural(n, 'more account')}.`,
    }),
  };
}

export interface AccountTotals {
  accounts: number;
  errored: number;
  failingUsers: number;
  grace: number;
  exempt: number;
  rootFindings: number;
}

export function totalsOf(scan: ScanResult): AccountTotals {
  const all = scan.accounts.flatMap((a) => a.verdicts);
  return {
    accounts: scan.accounts.length,
    errored: scan.accounts.filter((a) => a.error).length,
    failingUsers: all.filter((v) => v.check === 'user-console-mfa' && v.status === 'fail').length,
    grace: all.filter((v) => v.status === 'grace').length,
    exempt: all.filter((v) => v.status === 'exempt').length,
    rootFindings: all.filter((v) => v.principal === ROOT_PRINCIPAL && v.status === 'fail').length,
  };
}

export function totalsText(t: AccountTotals): string {
  const parts = [`*${plural(t.accounts, 'account')}*`];
  if (t.errored) parts.push(`:warning: ${num(t.errored)} not scanned`);
  parts.push(`:x: ${plural(t.failingUsers, 'console user')} without MFA`);
  if (t.rootFindings) parts.push(`:rotating_light: ${plural(t.rootFindings, 'root finding')}`);
  if (t.grace) parts.push(`:hourglass_flowing_sand: ${num(t.grace)} in grace`);
  if (t.exempt) parts.push(`${num(t.exempt)} exempt`);
  return parts.join(' · ');
}

/** One line per account, worst first. */
export function accountSummaryLines(scan: ScanResult): string[] {
  const score = (a: AccountResult) =>
    a.error
      ? -1e9
      : -a.verdicts.filter((v) => v.status === 'fail').length * 1000 -
        a.verdicts.filter((v) => v.status === 'grace').length;
  return [...scan.accounts]
    .sort((a, b) => score(a) - score(b) || a.accountId.localeCompare(b.accountId))
    .map((a) => {
      if (a.error) return `• :warning: ${accountLabel(a)}: could not scan: ${code(a.error.code)}`;
      const counts = countByStatus(a.verdicts);
      const failingUsers = a.verdicts.filter((v) => v.check === 'user-console-mfa' && v.status === 'fail').length;
      const mark = counts.fail ? ':x:' : counts.grace ? ':hourglass_flowing_sand:' : ':white_check_mark:';
      return (
        `• ${mark} ${accountLabel(a)}: ${num(failingUsers)} without MFA ` +
        `· ${num(counts.grace)} in grace · root MFA ${rootStateShort(a)}`
      );
    });
}

/** `/mfa-check summary`: totals and one line per account. */
export function buildSummaryAnswer(
  scan: ScanResult,
  now: Date,
  nextScanAt?: Date,
  intro?: { text: string; mrkdwn: string },
): SlackMessage {
  const t = totalsOf(scan);
  return {
    text:
      `${intro ? `${intro.text} ` : ''}${plural(t.accounts, 'account')}: ` +
      `${plural(t.failingUsers, 'console user')} without MFA, ${plural(t.rootFindings, 'root finding')}.`,
    blocks: fitLines({
      head: [section(`${intro ? `${intro.mrkdwn}\n\n` : ''}*MFA summary*\n${totalsText(t)}`)],
      lines: accountSummaryLines(scan),
      tail: [scanContext(scan, now, nextScanAt)],
      more: (n) => `…and ${plural(n, 'more account')}: \`/mfa-check account ACCOUNT_ID\` shows any one.`,
    }),
  };
}

/**
 * `/mfa-check scan` is done: where the digest went (or why none was posted), then the summary of the new scan.
 * `digest` is the digest channel, and when the digest of these findings was posted there (absent: it failed).
 */
export function buildScanDone(
  scan: ScanResult,
  digestInfo: { channel: string; postedAt?: Date } | undefined,
  now: Date,
  nextScanAt?: Date,
): SlackMessage {
  const d = digestInfo;
  let digest = '';
  if (d?.postedAt && d.postedAt >= scan.generatedAt) digest = ` The digest is in ${channelMention(d.channel)}.`;
  else if (d?.postedAt)
    digest =
      ` Nothing changed since the digest posted in ${channelMention(d.channel)} ` +
      `${humanAge(d.postedAt, now)} ago, so no new one was posted.`;
  else if (d) digest = ` The digest could not be posted in ${channelMention(d.channel)}: the bot's log says why.`;
  return buildSummaryAnswer(scan, now, nextScanAt, {
    text: 'Scan finished.',
    mrkdwn: `:white_check_mark: *Scan finished* at ${utcStamp(scan.generatedAt)}.${digest}`,
  });
}

export function buildScanStarted(): SlackMessage {
  return {
    text: 'Scanning every account now…',
    blocks: [
      section(
        ':mag: Scanning every account now. I will post the result here when it is done; it can take a few minutes.',
      ),
    ],
  };
}

export function buildScanFailed(latest: ScanResult | undefined, now: Date): SlackMessage {
  const older = latest ? ` The latest scan that finished is from ${humanAge(latest.generatedAt, now)} ago.` : '';
  return {
    text: 'The scan did not finish.',
    blocks: [section(`:warning: The scan did not finish; the bot's log says why.${older}`)],
  };
}

export function buildScanUnavailable(): SlackMessage {
  return {
    text: 'Scans cannot be started from Slack here.',
    blocks: [
      section(':no_entry_sign: This bot cannot start a scan from Slack: run `mfa-bot run` where it is installed.'),
    ],
  };
}
