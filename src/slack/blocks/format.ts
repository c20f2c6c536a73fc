import type { KnownBlock } from '@slack/types';
import { findCheck } from '../../domain/checks/registry.js';
import { daysBetween, isoDate, lastDayBefore } from '../../domain/dates.js';
import type { SlackIdentity } from '../../domain/identity.js';
import { auditedDevicesText } from '../../domain/root.js';
import type { StatusCounts } from '../../domain/summary.js';
import {
  ROOT_PRINCIPAL,
  STATUSES,
  type AccountResult,
  type CheckId,
  type Partition,
  type Status,
  type Verdict,
} from '../../domain/types.js';
import { code, escapeMrkdwn, isSlackUserId, mention, truncate } from '../mrkdwn.js';

/** What every builder returns: the blocks, and the fallback `text` for notifications and old clients. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** The account a DM is about. */
export interface NudgeAccount {
  accountId: string;
  alias?: string;
  /** The account's name in AWS Organizations. */
  name?: string;
  partition: Partition;
}

/** IAM user names are at most 64 characters; anything longer is cut for display (the CSV keeps it whole). */
const NAME_MAX = 128;

/** The check's short name as messages show it, from the check itself; the bare id for one no check has. */
export function checkLabel(id: CheckId): string {
  return findCheck(id)?.label ?? id;
}

const STATUS_LABEL: Record<Status, string> = {
  fail: 'fail',
  error: 'error',
  grace: 'grace',
  exempt: 'exempt',
  not_evaluated: 'not evaluated',
  pass: 'pass',
  not_applicable: 'not applicable',
};

/** 10,000 rather than 10000. */
export function num(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/** `` `111122223333` (prod) ``, escaped. */
type Labelled = { accountId: string; alias?: string; name?: string };

/** The alias and the Organizations name, when known (once if they are the same). */
function accountNames(account: Labelled): string {
  const names = [...new Set([account.alias, account.name].filter((n): n is string => Boolean(n)))];
  return names.length ? ` (${truncate(names.join(' · '), NAME_MAX)})` : '';
}

export function accountLabel(account: Labelled): string {
  return `${code(account.accountId)}${escapeMrkdwn(accountNames(account))}`;
}

/** `111122223333 (prod)`, escaped, for fallback text where backticks would show. */
export function accountLabelPlain(account: Labelled): string {
  return escapeMrkdwn(`${account.accountId}${accountNames(account)}`.replace(/[\r\n]+/g, ' '));
}

/** An IAM user name as inline code. */
export function iamName(userName: string): string {
  return code(truncate(userName, NAME_MAX));
}

export function plainName(userName: string): string {
  return escapeMrkdwn(truncate(userName, NAME_MAX).replace(/[\r\n]+/g, ' '));
}

/**
 * A person in a list: the Slack mention and the IAM name when mapped; the IAM name and "unmapped"
 * otherwise, so an admin can see whose mapping to fix.
 */
export function personLabel(userName: string, identity: Pick<SlackIdentity, 'slackUserId'> | undefined): string {
  if (userName === ROOT_PRINCIPAL) return 'the root user';
  if (identity && isSlackUserId(identity.slackUserId)) return `${mention(identity.slackUserId)} ${iamName(userName)}`;
  return `${iamName(userName)} _unmapped_`;
}

export function rootStateText(
  account: Pick<AccountResult, 'rootMfa' | 'rootCredentialsPresent'> & Partial<Pick<AccountResult, 'rootMfaAudit'>>,
): string {
  if (account.rootCredentialsPresent === false) return 'not applicable: no root credentials (centralized root access)';
  const audit = account.rootMfaAudit;
  if (audit && 'devices' in audit && audit.devices.length > 0)
    return `${auditedDevicesText(audit.devices)} (listed in a root session)`;
  switch (account.rootMfa) {
    case 'none':
      return ':x: none';
    case 'virtual':
      return 'virtual (authenticator app)';
    case 'hardware':
      return 'hardware (security key or token)';
    case 'unknown':
      return 'unknown';
  }
}

export function rootStateShort(account: Pick<AccountResult, 'rootMfa' | 'rootCredentialsPresent'>): string {
  if (account.rootCredentialsPresent === false) return 'n/a (no root credentials)';
  return account.rootMfa;
}

/** `3 fail · 1 grace · 40 pass`: the non-zero statuses, worst first. */
export function countsText(counts: StatusCounts): string {
  const parts = STATUSES.filter((s) => counts[s] > 0).map((s) => `${num(counts[s])} ${STATUS_LABEL[s]}`);
  return parts.length ? parts.join(' · ') : 'no findings';
}

/** "today", "in 1 day", "in 5 days", "3 days ago". */
export function relativeDays(date: Date, now: Date): string {
  const days = daysBetween(now, date);
  if (days >= 0) {
    const whole = Math.ceil(days);
    return whole <= 0 ? 'today' : whole === 1 ? 'in 1 day' : `in ${whole} days`;
  }
  const ago = Math.floor(-days);
  return ago <= 0 ? 'today' : ago === 1 ? '1 day ago' : `${ago} days ago`;
}

/** The last day an `exempt` finding is covered, as the config wrote it (the exemption ends after that day). */
export function exemptUntil(v: Pick<Verdict, 'exemption' | 'deadline'> | undefined): string | undefined {
  const end = v?.exemption?.expires ?? v?.deadline;
  return end ? lastDayBefore(end) : undefined;
}

/** 2026-11-23 14:05 UTC */
export function utcStamp(date: Date): string {
  return `${isoDate(date)} ${date.toISOString().slice(11, 16)} UTC`;
}

export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}
