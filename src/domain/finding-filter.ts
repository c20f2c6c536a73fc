import type { CheckId } from './checks/ids.js';
import type { AccountResult, ScanResult, Severity, Status, Verdict } from './types.js';

/** `scan --status/--severity/--check/--account`: each list narrows the findings; an absent list keeps everything. */
export interface FindingFilter {
  statuses?: readonly Status[];
  severities?: readonly Severity[];
  checks?: readonly CheckId[];
  accounts?: readonly string[];
}

export interface FilteredScan {
  /** The accounts and findings the filter keeps: what every format prints. */
  scan: ScanResult;
  /** Findings of the scanned accounts before filtering. */
  total: number;
  /**
   * `error` findings the status filter left out although every other filter keeps them. An error is a status
   * nobody knows, maybe `fail`, so these still make the result unknown (exit 3) for the question asked.
   */
  hiddenErrors: number;
}

export function isFiltering(filter: FindingFilter): boolean {
  return Boolean(filter.statuses || filter.severities || filter.checks || filter.accounts);
}

function inScope(v: Verdict, filter: FindingFilter): boolean {
  return (
    (!filter.severities || filter.severities.includes(v.severity)) &&
    (!filter.checks || filter.checks.includes(v.check))
  );
}

export function filterScan(scan: ScanResult, filter: FindingFilter): FilteredScan {
  const accounts: AccountResult[] = scan.accounts.filter(
    (a) => !filter.accounts || filter.accounts.includes(a.accountId),
  );
  let hiddenErrors = 0;
  const kept = accounts.map((a) => ({
    ...a,
    verdicts: a.verdicts.filter((v) => {
      if (!inScope(v, filter)) return false;
      if (!filter.statuses || filter.statuses.includes(v.status)) return true;
      // An unreadable account's per-check errors repeat its own error, which is kept and shown anyway.
      if (v.status === 'error' && !a.error) hiddenErrors += 1;
      return false;
    }),
  }));
  return {
    scan: { ...scan, accounts: kept },
    total: scan.accounts.reduce((n, a) => n + a.verdicts.length, 0),
    hiddenErrors,
  };
}
