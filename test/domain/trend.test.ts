import { describe, expect, it } from 'vitest';
import { diffScans } from '../../src/domain/scan-diff.js';
import { coverage, sparkline, trendsOf, type AccountScanSummary } from '../../src/domain/trend.js';
import { ACCOUNT, failingUser, MONDAY_10, passingUser, scanOf } from './nudge-fixtures.js';
import { exemptUser } from '../slack/blocks/factories.js';

function summary(
  scanId: number,
  users: Partial<AccountScanSummary['users']>,
  over: Partial<AccountScanSummary> = {},
): AccountScanSummary {
  return {
    scanId,
    scannedAt: new Date(MONDAY_10.getTime() + scanId * 86_400_000),
    accountId: ACCOUNT,
    rootMfa: 'hardware',
    users: { pass: 0, fail: 0, grace: 0, exempt: 0, ...users },
    failing: users.fail ?? 0,
    ...over,
  };
}

describe('sparkline', () => {
  it('draws rising coverage as rising bars, gaps as dots', () => {
    expect(sparkline([80, 85, 90, 95, 100])).toBe('▁▃▅▆█');
    expect(sparkline([10, 90, undefined, 50])).toBe('▁█·▅');
  });

  it('does not dramatise a flat line or a one-user wiggle', () => {
    expect(sparkline([100, 100, 100])).toBe('███');
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([99, 100, 98])).toBe('▇█▇');
  });
});

describe('coverage and trends', () => {
  it('is the share of console users with MFA; unknown for an unreadable account', () => {
    expect(coverage(summary(1, { pass: 3, fail: 1 }))).toBe(75);
    expect(coverage(summary(1, {}))).toBe(100);
    expect(coverage(summary(1, {}, { errorCode: 'AccessDenied' }))).toBeUndefined();
  });

  it('keeps the last N scans per account, oldest first', () => {
    const all = [3, 1, 2, 4]
      .map((id) => summary(id, { pass: id }))
      .concat([summary(2, { pass: 1 }, { accountId: '999988887777' })]);
    const trends = trendsOf(all, 3);
    expect(trends.map((t) => [t.accountId, t.points.map((p) => p.scanId)])).toEqual([
      [ACCOUNT, [2, 3, 4]],
      ['999988887777', [2]],
    ]);
  });
});

describe('diffScans', () => {
  it('finds the newly failing, the fixed, new exemptions and expired ones', () => {
    const before = scanOf([
      failingUser('ann'),
      passingUser('bob'),
      failingUser('carol'),
      exemptUser('dan', 'break-glass account'),
    ]);
    const now = scanOf([
      passingUser('ann'),
      failingUser('bob'),
      exemptUser('carol', 'contractor, leaving'),
      failingUser('dan'),
    ]);
    const d = diffScans(before, now);
    expect(d.previousScanAt).toEqual(before.generatedAt);
    expect(d.changes.map((c) => `${c.change}:${c.verdict.principal}`).sort()).toEqual([
      'exempted:carol',
      'exemption_expired:dan',
      'fixed:ann',
      'newly_failing:bob',
    ]);
  });

  it('reports nothing for an account that could not be read in either scan', () => {
    const broken = scanOf([], { error: { code: 'AccessDenied', message: 'no' } });
    expect(diffScans(broken, scanOf([failingUser('ann')])).changes).toEqual([]);
    expect(diffScans(scanOf([failingUser('ann')]), broken).changes).toEqual([]);
    expect(diffScans(undefined, scanOf([failingUser('ann')]))).toEqual({ changes: [] });
  });
});
