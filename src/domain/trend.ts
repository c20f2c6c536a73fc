import type { AccountResult, RootMfaKind } from './types.js';

/** One account in one stored scan, counted: the row behind trends and `mfa-bot history`. */
export interface AccountScanSummary {
  scanId: number;
  scannedAt: Date;
  accountId: string;
  alias?: string;
  /** The account's name in AWS Organizations. */
  name?: string;
  /** The error code when the account could not be scanned; the counts are then all 0. */
  errorCode?: string;
  rootMfa: RootMfaKind;
  rootCredentialsPresent?: boolean;
  /** Console users (the user-console-mfa check) by status. */
  users: { pass: number; fail: number; grace: number; exempt: number };
  /** `fail` verdicts of every check, root included. */
  failing: number;
}

/** Console users by status, and `fail` verdicts of every check. */
export function countsOf(account: AccountResult): Pick<AccountScanSummary, 'users' | 'failing'> {
  const users = { pass: 0, fail: 0, grace: 0, exempt: 0 };
  let failing = 0;
  for (const v of account.verdicts) {
    if (v.status === 'fail') failing += 1;
    if (v.check === 'user-console-mfa' && v.status in users) users[v.status as keyof typeof users] += 1;
  }
  return { users, failing };
}

/** The summary a store would keep for this account of a scan. */
export function summaryOf(account: AccountResult, scan: { id: number; scannedAt: Date }): AccountScanSummary {
  return {
    scanId: scan.id,
    scannedAt: scan.scannedAt,
    accountId: account.accountId,
    ...(account.alias !== undefined ? { alias: account.alias } : {}),
    ...(account.name !== undefined ? { name: account.name } : {}),
    ...(account.error ? { errorCode: account.error.code } : {}),
    rootMfa: account.rootMfa,
    ...(account.rootCredentialsPresent !== undefined ? { rootCredentialsPresent: account.rootCredentialsPresent } : {}),
    ...countsOf(account),
  };
}

/** Share of console users with MFA, 0 to 100; undefined for an unreadable account. No console users: 100. */
export function coverage(s: AccountScanSummary): number | undefined {
  if (s.errorCode) return undefined;
  const { pass, fail, grace, exempt } = s.users;
  const total = pass + fail + grace + exempt;
  return total === 0 ? 100 : (100 * pass) / total;
}

const BARS = '▁▂▃▄▅▆▇█';
/** The scale spans at least this many points, so a one-user wiggle does not look like a collapse. */
const MIN_SPAN = 10;

/**
 * ▃▅▆█: one bar per coverage value (0-100), oldest first; `·` where there is none. The scale is the
 * series' own range, widened to MIN_SPAN points around it within 0-100, so a flat 100% reads as full
 * bars and a flat 0% as empty ones.
 */
export function sparkline(values: ReadonlyArray<number | undefined>): string {
  const known = values.filter((v): v is number => v !== undefined);
  if (known.length === 0) return values.map(() => '·').join('');
  let lo = Math.min(...known);
  let hi = Math.max(...known);
  if (hi - lo < MIN_SPAN) {
    const mid = (hi + lo) / 2;
    lo = Math.max(0, Math.min(mid - MIN_SPAN / 2, 100 - MIN_SPAN));
    hi = lo + MIN_SPAN;
  }
  const bar = (v: number) =>
    BARS[Math.max(0, Math.min(BARS.length - 1, Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))))]!;
  return values.map((v) => (v === undefined ? '·' : bar(v))).join('');
}

export interface AccountTrend {
  accountId: string;
  alias?: string;
  /** Oldest first. */
  points: AccountScanSummary[];
}

/** Groups summaries (any order) into one trend per account, each with its last `limit` scans, oldest first. */
export function trendsOf(summaries: readonly AccountScanSummary[], limit = 14): AccountTrend[] {
  const by = new Map<string, AccountScanSummary[]>();
  for (const s of summaries) {
    const list = by.get(s.accountId) ?? [];
    list.push(s);
    by.set(s.accountId, list);
  }
  return [...by.entries()].map(([accountId, list]) => {
    const points = list.sort((a, b) => a.scanId - b.scanId).slice(-limit);
    const alias = points[points.length - 1]?.alias;
    return { accountId, ...(alias ? { alias } : {}), points };
  });
}
