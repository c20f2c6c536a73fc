import { describe, expect, it } from 'vitest';
import {
  chartLines,
  coverageHeadline,
  coverageSeries,
  OTHERS,
  periodStart,
  type CaseSpan,
  type CoveragePoint,
} from '../../../src/domain/metrics/coverage.js';
import type { AccountScanSummary } from '../../../src/domain/trend.js';

const NOW = new Date('2026-12-02T08:00:00Z');
const at = (iso: string) => new Date(iso);

function summary(
  scanId: number,
  scannedAt: string,
  users: Partial<AccountScanSummary['users']>,
  over: Partial<AccountScanSummary> = {},
): AccountScanSummary {
  return {
    scanId,
    scannedAt: at(scannedAt),
    accountId: '111111111111',
    rootMfa: 'hardware',
    users: { pass: 0, fail: 0, grace: 0, exempt: 0, ...users },
    failing: users.fail ?? 0,
    ...over,
  };
}

/** The open cases of account 111111111111 counted at the end of 2026-12-01 and at now (2026-12-02 08:30). */
function openCasesOnTwoDays(cases: CaseSpan[]): number[] {
  const points = coverageSeries(
    [summary(1, '2026-12-01T08:00:00Z', { fail: 2 }), summary(2, '2026-12-02T08:00:00Z', { pass: 1, fail: 1 })],
    cases,
    { period: 'day', now: at('2026-12-02T08:30:00Z') },
  );
  return points.map((p) => p.openCases);
}

describe('periodStart', () => {
  it('starts a day at 00:00 UTC and a week on its ISO Monday', () => {
    expect(periodStart(at('2026-12-02T23:59:59Z'), 'day').toISOString()).toBe('2026-12-02T00:00:00.000Z');
    // 2026-12-02 is a Wednesday; 2026-11-30 the Monday; a Sunday belongs to the week before it.
    expect(periodStart(at('2026-12-02T08:00:00Z'), 'week').toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(periodStart(at('2026-12-06T23:00:00Z'), 'week').toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(periodStart(at('2026-11-30T00:00:00Z'), 'week').toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });
});

describe('coverageSeries', () => {
  it("takes each period's last scan: console users, with MFA, coverage", () => {
    const points = coverageSeries(
      [
        summary(1, '2026-12-01T08:00:00Z', { pass: 1, fail: 3 }),
        summary(2, '2026-12-01T20:00:00Z', { pass: 2, fail: 1, grace: 1 }),
        summary(3, '2026-12-02T08:00:00Z', { pass: 3, exempt: 1 }),
      ],
      [],
      { period: 'day', now: NOW },
    );
    expect(
      points.map((p) => [p.periodStart.toISOString().slice(0, 10), p.consoleUsers, p.withMfa, p.coveragePercent]),
    ).toEqual([
      ['2026-12-01', 4, 2, 50],
      ['2026-12-02', 4, 3, 75],
    ]);
  });

  it('prefers a readable scan over a later failed one in the same period, and leaves a failed period blank', () => {
    const points = coverageSeries(
      [
        summary(1, '2026-12-01T08:00:00Z', { pass: 3, fail: 1 }),
        summary(2, '2026-12-01T20:00:00Z', {}, { errorCode: 'AccessDenied' }),
        summary(3, '2026-12-02T08:00:00Z', {}, { errorCode: 'AccessDenied' }),
      ],
      [],
      { period: 'day', now: NOW },
    );
    expect(points.map((p) => p.coveragePercent)).toEqual([75, undefined]);
  });

  it('counts the cases open at the end of each period, or now for the current one', () => {
    const cases: CaseSpan[] = [
      // Opened just after the scan of the 1st (cases open after the scan that finds them), fixed on the 2nd.
      { accountId: '111111111111', openedAt: at('2026-12-01T08:00:05Z'), resolvedAt: at('2026-12-02T08:00:05Z') },
      { accountId: '111111111111', openedAt: at('2026-11-20T00:00:00Z') },
      // Opened after now: not yet.
      { accountId: '111111111111', openedAt: at('2026-12-02T09:00:00Z') },
      // Another account's.
      { accountId: '222222222222', openedAt: at('2026-11-20T00:00:00Z') },
    ];
    expect(openCasesOnTwoDays(cases)).toEqual([2, 1]);
  });

  it('counts a case open from the instant it opens until the instant it is resolved, at the edges too', () => {
    const endOfFirst = '2026-12-01T23:59:59.999Z';
    const cases: CaseSpan[] = [
      // Opened at the very instant the first day's count is taken: open then.
      { accountId: '111111111111', openedAt: at(endOfFirst), resolvedAt: at('2026-12-02T08:00:00Z') },
      // Resolved at that instant: no longer open then.
      { accountId: '111111111111', openedAt: at('2026-11-30T00:00:00Z'), resolvedAt: at(endOfFirst) },
      // A resolution stamped before the opening (clocks of two processes): never open.
      { accountId: '111111111111', openedAt: at('2026-12-01T10:00:00Z'), resolvedAt: at('2026-12-01T09:00:00Z') },
      // Open at now, which is the current day's count.
      { accountId: '111111111111', openedAt: at('2026-12-02T08:30:00Z') },
    ];
    expect(openCasesOnTwoDays(cases)).toEqual([1, 1]);
  });

  it('keeps the last `days` days, one account when asked, and weekly periods', () => {
    const summaries = [
      summary(1, '2026-08-01T08:00:00Z', { pass: 1 }),
      summary(2, '2026-11-24T08:00:00Z', { pass: 1, fail: 1 }),
      summary(3, '2026-11-30T08:00:00Z', { pass: 1, fail: 1 }),
      summary(4, '2026-12-01T08:00:00Z', { pass: 2 }),
      summary(4, '2026-12-01T08:00:00Z', { fail: 1 }, { accountId: '222222222222' }),
    ];
    const weekly = coverageSeries(summaries, [], { period: 'week', now: NOW, accountId: '111111111111' });
    expect(weekly.map((p) => [p.periodStart.toISOString().slice(0, 10), p.coveragePercent])).toEqual([
      ['2026-11-23', 50],
      ['2026-11-30', 100],
    ]);
    expect(new Set(coverageSeries(summaries, [], { period: 'day', now: NOW }).map((p) => p.accountId)).size).toBe(2);
  });
});

function point(accountId: string, openCases: number, coveragePercent: number, alias?: string): CoveragePoint {
  return {
    accountId,
    ...(alias ? { alias } : {}),
    periodStart: at('2026-12-02T00:00:00Z'),
    scannedAt: at('2026-12-02T08:00:00Z'),
    consoleUsers: 10,
    withMfa: coveragePercent / 10,
    coveragePercent,
    openCases,
  };
}

describe('chartLines', () => {
  it('draws every account when they fit', () => {
    const lines = chartLines([point('1', 0, 100, 'prod'), point('2', 5, 50)], 8);
    expect(lines.map((l) => [l.label, l.points[0]?.coveragePercent])).toEqual([
      ['2', 50],
      ['prod', 100],
    ]);
  });

  it('beyond the limit: the accounts with the most open cases (then lowest coverage), and the rest as "others"', () => {
    const points = [
      point('1', 1, 90),
      point('2', 9, 10),
      point('3', 4, 60),
      point('4', 4, 40),
      point('5', 0, 100),
      point('6', 2, 80, 'shared'),
      point('7', 3, 70, 'shared'),
    ];
    const lines = chartLines(points, 4);
    expect(lines.map((l) => l.label)).toEqual(['2', '4', '3', '4 other accounts']);
    const others = lines.at(-1)!;
    expect(others.key).toBe(OTHERS);
    expect(others.accountIds).toEqual(['7', '6', '1', '5']);
    // Coverage of their users together (7 + 8 + 9 + 10 of 40), open cases added up.
    expect(others.points).toEqual([
      expect.objectContaining({ consoleUsers: 40, withMfa: 34, coveragePercent: 85, openCases: 6 }),
    ]);
    // Two named accounts that share an alias are told apart by their IDs.
    expect(chartLines(points, 8).map((l) => l.label)).toContain('shared (7)');
  });
});

describe('coverageHeadline', () => {
  const other = { accountId: '222222222222' };
  const summaries = [
    // 120 days ago and 95 days ago: the second is the one at the start of the 90-day window.
    summary(1, '2026-08-04T08:00:00Z', { pass: 0, fail: 10 }),
    summary(2, '2026-08-29T08:00:00Z', { pass: 2, fail: 8 }),
    summary(3, '2026-11-01T08:00:00Z', { pass: 6, fail: 4 }),
    summary(4, '2026-12-02T08:00:00Z', { pass: 9, fail: 1 }),
    // Scanned first 30 days ago: its first scan stands for its start; its latest failed, so its last readable counts.
    summary(3, '2026-11-01T08:00:00Z', { pass: 5, fail: 5 }, other),
    summary(4, '2026-12-02T08:00:00Z', { pass: 10 }, other),
    summary(5, '2026-12-02T09:00:00Z', {}, { ...other, errorCode: 'AccessDenied' }),
  ];
  const cases = [
    { accountId: '111111111111', userName: 'late', openedAt: at('2026-11-20T00:00:00Z') },
    { accountId: '222222222222', userName: 'oldest', openedAt: at('2026-09-01T00:00:00Z') },
    {
      accountId: '111111111111',
      userName: 'fixed',
      openedAt: at('2026-08-01T00:00:00Z'),
      resolvedAt: at('2026-12-01T00:00:00Z'),
    },
  ];

  it('gives coverage now, 90 days ago, the open cases and the oldest one', () => {
    expect(coverageHeadline(summaries, cases, at('2026-12-02T10:00:00Z'))).toEqual({
      consoleUsers: 20,
      withMfa: 19,
      coveragePercent: 95,
      before: { at: at('2026-08-29T08:00:00Z'), coveragePercent: 35 },
      openCases: 2,
      oldestOpenCase: { accountId: '222222222222', userName: 'oldest', openedAt: at('2026-09-01T00:00:00Z') },
    });
  });

  it('has no change to show after a single scan, and nothing before any readable one', () => {
    const one = coverageHeadline([summary(1, '2026-12-02T08:00:00Z', { pass: 1, fail: 1 })], [], NOW);
    expect(one).toEqual({ consoleUsers: 2, withMfa: 1, coveragePercent: 50, openCases: 0 });
    expect(coverageHeadline([summary(1, '2026-12-02T08:00:00Z', {}, { errorCode: 'X' })], [], NOW)).toBeUndefined();
  });
});
