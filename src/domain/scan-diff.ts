import { findingChanges, type FindingChange } from './finding-change.js';
import type { ScanResult } from './types.js';

export interface ScanDiff {
  /** Absent for the first scan: nothing to compare with. */
  previousScanAt?: Date;
  changes: FindingChange[];
}

/**
 * The digest's "since the last scan": findingChanges() between two stored scans, comparing only accounts
 * both scans could read. After an account comes back from an error, its failing users are not "new".
 */
export function diffScans(previous: ScanResult | undefined, current: ScanResult): ScanDiff {
  if (!previous) return { changes: [] };
  const readBefore = new Set(previous.accounts.filter((a) => !a.error).map((a) => a.accountId));
  const verdicts = (scan: ScanResult) =>
    scan.accounts.filter((a) => readBefore.has(a.accountId)).flatMap((a) => a.verdicts);
  return { previousScanAt: previous.generatedAt, changes: findingChanges(verdicts(previous), verdicts(current)) };
}
