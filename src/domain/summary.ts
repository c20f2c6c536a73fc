import { STATUSES, type AccountResult, type ScanResult, type Status, type Verdict } from './types.js';

export type StatusCounts = Record<Status, number>;

export function countByStatus(verdicts: readonly Verdict[]): StatusCounts {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const v of verdicts) counts[v.status] += 1;
  return counts;
}

export function allVerdicts(scan: ScanResult): Verdict[] {
  return scan.accounts.flatMap((a: AccountResult) => a.verdicts);
}

export function hasFailures(scan: ScanResult): boolean {
  return allVerdicts(scan).some((v) => v.status === 'fail');
}
