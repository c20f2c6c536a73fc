import { DAY_MS } from '../dates.js';
import type { NudgeCase } from '../ledger.js';
import { coverage, type AccountScanSummary } from '../trend.js';

/**
 * Coverage over time: per account and per UTC day or ISO week (Monday 00:00 UTC), the console users, how many
 * have MFA, the coverage and the open cases. Built from the stored per-account scan counts (which outlive the
 * scans' verdicts) and the nudge ledger.
 */

export type CoveragePeriod = 'day' | 'week';

export interface CoveragePoint {
  accountId: string;
  /** The account's alias (else its Organizations name) as the latest scan in the window saw it. */
  alias?: string;
  /** Start of the UTC day or ISO week. */
  periodStart: Date;
  /** The scan the counts come from: the period's last one that could read the account (else its last one). */
  scannedAt: Date;
  consoleUsers: number;
  withMfa: number;
  /** Share of console users with MFA, 0 to 100 (trend.coverage); undefined when the account could not be read. */
  coveragePercent: number | undefined;
  /**
   * Cases (console users failing or in grace) open at the end of the period, or at `now` for the current one.
   * From the ledger, so a case a live check opened between scans counts too.
   */
  openCases: number;
}

/** What a case contributes to the series: when it opened and closed. */
export type CaseSpan = Pick<NudgeCase, 'accountId' | 'openedAt' | 'resolvedAt'>;

export interface CoverageOptions {
  period: CoveragePeriod;
  now: Date;
  /** Days back from `now` (default 90). */
  days?: number;
  accountId?: string;
}

export function periodStart(at: Date, period: CoveragePeriod): Date {
  const day = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  if (period === 'day') return new Date(day);
  // 1970-01-01 was a Thursday: (weekday + 6) % 7 days back is the Monday.
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - weekday * DAY_MS);
}

function periodEnd(start: Date, period: CoveragePeriod): Date {
  return new Date(start.getTime() + (period === 'day' ? 1 : 7) * DAY_MS);
}

/** Index of the first element of the ascending `sorted` greater than `value`: how many are at or before it. */
function countAtOrBefore(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The cases open at a time (opened at or before it, not resolved by then), answered in O(log n) from two sorted
 * lists rather than by a pass over every case for every point. A resolved case stops counting at the later of its
 * opening and its resolution: exactly when `openedAt <= at && resolvedAt <= at`.
 */
function openCounter(cases: readonly CaseSpan[]): (at: Date) => number {
  const opened: number[] = [];
  const closed: number[] = [];
  for (const c of cases) {
    const openedAt = c.openedAt.getTime();
    opened.push(openedAt);
    if (c.resolvedAt) closed.push(Math.max(openedAt, c.resolvedAt.getTime()));
  }
  opened.sort((a, b) => a - b);
  closed.sort((a, b) => a - b);
  return (at) => countAtOrBefore(opened, at.getTime()) - countAtOrBefore(closed, at.getTime());
}

function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** The summary that stands for a period: its last readable scan, else its last scan. */
function representative(summaries: readonly AccountScanSummary[]): AccountScanSummary {
  const byTime = [...summaries].sort((a, b) => a.scannedAt.getTime() - b.scannedAt.getTime() || a.scanId - b.scanId);
  return byTime.filter((s) => !s.errorCode).at(-1) ?? byTime.at(-1)!;
}

/**
 * One point per account and period that has a scan within the last `days` days, oldest first within each
 * account; accounts ordered by ID.
 */
export function coverageSeries(
  summaries: readonly AccountScanSummary[],
  cases: readonly CaseSpan[],
  options: CoverageOptions,
): CoveragePoint[] {
  const since = options.now.getTime() - (options.days ?? 90) * DAY_MS;
  const inWindow = summaries.filter(
    (s) =>
      s.scannedAt.getTime() >= since &&
      s.scannedAt <= options.now &&
      (!options.accountId || s.accountId === options.accountId),
  );
  const casesByAccount = groupBy(cases, (c) => c.accountId);
  const points: CoveragePoint[] = [];
  for (const [accountId, list] of [...groupBy(inWindow, (s) => s.accountId)].sort(([a], [b]) => a.localeCompare(b))) {
    const latest = representative(list);
    const alias = latest.alias ?? latest.name;
    const openAt = openCounter(casesByAccount.get(accountId) ?? []);
    const byPeriod = groupBy(list, (s) => periodStart(s.scannedAt, options.period).toISOString());
    for (const key of [...byPeriod.keys()].sort()) {
      const start = new Date(key);
      const s = representative(byPeriod.get(key)!);
      const end = periodEnd(start, options.period);
      const { pass, fail, grace, exempt } = s.users;
      points.push({
        accountId,
        ...(alias !== undefined ? { alias } : {}),
        periodStart: start,
        scannedAt: s.scannedAt,
        consoleUsers: pass + fail + grace + exempt,
        withMfa: pass,
        coveragePercent: coverage(s),
        // The end is exclusive: the count is taken just before it.
        openCases: openAt(end > options.now ? options.now : new Date(end.getTime() - 1)),
      });
    }
  }
  return points;
}

/** The line a chart draws: one account, or "others" summed. */
export interface CoverageSeriesLine {
  /** An account ID, or OTHERS. */
  key: string;
  label: string;
  accountIds: string[];
  points: Array<Pick<CoveragePoint, 'periodStart' | 'consoleUsers' | 'withMfa' | 'coveragePercent' | 'openCases'>>;
}

export const OTHERS = 'others';

/** Open cases at the latest point, then the lowest coverage: the accounts that need looking at come first. */
function urgency(points: readonly CoveragePoint[]): [number, number] {
  const last = points.at(-1);
  return [last?.openCases ?? 0, last?.coveragePercent ?? 100];
}

function sumPoints(points: readonly CoveragePoint[]): CoverageSeriesLine['points'] {
  return [...groupBy(points, (p) => p.periodStart.toISOString())]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => {
      const readable = list.filter((p) => p.coveragePercent !== undefined);
      const consoleUsers = readable.reduce((n, p) => n + p.consoleUsers, 0);
      const withMfa = readable.reduce((n, p) => n + p.withMfa, 0);
      return {
        periodStart: new Date(key),
        consoleUsers,
        withMfa,
        coveragePercent: readable.length === 0 ? undefined : consoleUsers === 0 ? 100 : (100 * withMfa) / consoleUsers,
        openCases: list.reduce((n, p) => n + p.openCases, 0),
      };
    });
}

/**
 * At most `maxLines` lines: with more accounts than that, the `maxLines - 1` with the most open cases now
 * (ties: lowest coverage, then account ID) each get a line, and the rest are summed into one "others" line
 * (coverage of their console users together, open cases added up).
 */
export function chartLines(points: readonly CoveragePoint[], maxLines = 8): CoverageSeriesLine[] {
  const accounts = [...groupBy(points, (p) => p.accountId)];
  const ranked = accounts.sort(([idA, a], [idB, b]) => {
    const [openA, covA] = urgency(a);
    const [openB, covB] = urgency(b);
    return openB - openA || covA - covB || idA.localeCompare(idB);
  });
  const named = ranked.length <= maxLines ? ranked : ranked.slice(0, Math.max(0, maxLines - 1));
  const rest = ranked.slice(named.length);
  const aliasCount = groupBy(named, ([, list]) => list[0]?.alias ?? '');
  const lines: CoverageSeriesLine[] = named.map(([accountId, list]) => {
    const alias = list[0]?.alias;
    // An alias two named accounts share would make one legend entry; the ID tells them apart.
    const label = alias ? ((aliasCount.get(alias)?.length ?? 0) > 1 ? `${alias} (${accountId})` : alias) : accountId;
    return { key: accountId, label, accountIds: [accountId], points: sumPoints(list) };
  });
  if (rest.length > 0) {
    lines.push({
      key: OTHERS,
      label: `${rest.length} other accounts`,
      accountIds: rest.map(([id]) => id),
      points: sumPoints(rest.flatMap(([, list]) => list)),
    });
  }
  return lines;
}

/** What an admin sees first: coverage now and against 90 days ago, the open cases and the oldest one. */
export interface CoverageHeadline {
  /** Console users with MFA across the accounts' latest readable scans. */
  consoleUsers: number;
  withMfa: number;
  coveragePercent: number;
  /** The same at the start of the window (or the first scan in it, when the history is shorter). */
  before?: { at: Date; coveragePercent: number };
  openCases: number;
  oldestOpenCase?: { accountId: string; userName: string; openedAt: Date };
}

function overall(summaries: readonly AccountScanSummary[]): { consoleUsers: number; withMfa: number } {
  let consoleUsers = 0;
  let withMfa = 0;
  for (const s of summaries) {
    const { pass, fail, grace, exempt } = s.users;
    consoleUsers += pass + fail + grace + exempt;
    withMfa += pass;
  }
  return { consoleUsers, withMfa };
}

const percentOf = ({ consoleUsers, withMfa }: { consoleUsers: number; withMfa: number }) =>
  consoleUsers === 0 ? 100 : (100 * withMfa) / consoleUsers;

/**
 * Coverage across every account (each by its latest readable scan), the change since `days` ago (each account by
 * its last readable scan at or before then, else its first one since), and the cases open now. Undefined before
 * any readable scan.
 */
export function coverageHeadline(
  summaries: readonly AccountScanSummary[],
  cases: ReadonlyArray<Pick<NudgeCase, 'accountId' | 'userName' | 'openedAt' | 'resolvedAt'>>,
  now: Date,
  days = 90,
): CoverageHeadline | undefined {
  const since = new Date(now.getTime() - days * DAY_MS);
  const readable = summaries
    .filter((s) => !s.errorCode && s.scannedAt <= now)
    .sort((a, b) => a.scannedAt.getTime() - b.scannedAt.getTime() || a.scanId - b.scanId);
  if (readable.length === 0) return undefined;
  const latest: AccountScanSummary[] = [];
  const baseline: AccountScanSummary[] = [];
  for (const list of groupBy(readable, (s) => s.accountId).values()) {
    latest.push(list.at(-1)!);
    baseline.push(list.filter((s) => s.scannedAt <= since).at(-1) ?? list[0]!);
  }
  const nowCounts = overall(latest);
  const baselineAt = new Date(Math.min(...baseline.map((s) => s.scannedAt.getTime())));
  const open = cases.filter((c) => c.openedAt <= now && (!c.resolvedAt || c.resolvedAt > now));
  const oldest = open.reduce<(typeof open)[number] | undefined>(
    (o, c) => (!o || c.openedAt < o.openedAt ? c : o),
    undefined,
  );
  return {
    ...nowCounts,
    coveragePercent: percentOf(nowCounts),
    ...(baseline.some((b, i) => b !== latest[i])
      ? { before: { at: baselineAt, coveragePercent: percentOf(overall(baseline)) } }
      : {}),
    openCases: open.length,
    ...(oldest
      ? { oldestOpenCase: { accountId: oldest.accountId, userName: oldest.userName, openedAt: oldest.openedAt } }
      : {}),
  };
}
