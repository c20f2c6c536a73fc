import { describe, expect, it } from 'vitest';
import { filterScan } from '../../src/domain/finding-filter.js';
import type { AccountResult, ScanResult, Status, Verdict } from '../../src/domain/types.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const verdict = (accountId: string, principal: string, status: Status): Verdict => ({
  check: 'user-console-mfa',
  accountId,
  principal,
  arn: '',
  status,
  severity: 'high',
  reason: '',
  controls: [],
  remediation: '',
});
const account = (accountId: string, verdicts: Verdict[], extra: Partial<AccountResult> = {}): AccountResult => ({
  accountId,
  partition: 'aws',
  rootMfa: 'none',
  verdicts,
  ...extra,
});
const SCAN: ScanResult = {
  generatedAt: NOW,
  accounts: [
    account('111111111111', [verdict('111111111111', 'ann', 'fail'), verdict('111111111111', 'bob', 'error')]),
    account('222222222222', [verdict('222222222222', 'cy', 'pass')]),
    account('333333333333', [{ ...verdict('333333333333', '*', 'error'), check: 'root-mfa' }], {
      error: { code: 'AccessDenied', message: 'no' },
    }),
  ],
};

describe('filterScan', () => {
  it('--account keeps the accounts it names, their errors included, and drops the others whole', () => {
    const { scan, total } = filterScan(SCAN, { accounts: ['222222222222', '333333333333'] });
    expect(scan.accounts.map((a) => a.accountId)).toEqual(['222222222222', '333333333333']);
    expect(scan.accounts[1]!.error?.code).toBe('AccessDenied');
    expect(total).toBe(4);
  });

  it('counts the error findings only the status filter hides, not those of an account that is an error itself', () => {
    expect(filterScan(SCAN, { statuses: ['fail'] }).hiddenErrors).toBe(1);
    expect(filterScan(SCAN, { statuses: ['fail'], checks: ['root-mfa'] }).hiddenErrors).toBe(0);
    expect(filterScan(SCAN, { statuses: ['fail'], severities: ['low'] }).hiddenErrors).toBe(0);
    expect(filterScan(SCAN, { statuses: ['fail'], accounts: ['222222222222'] }).hiddenErrors).toBe(0);
  });

  it('without a filter keeps the scan as it is', () => {
    expect(filterScan(SCAN, {}).scan).toEqual(SCAN);
  });
});
