import type { Verdict } from './types.js';

export type ChangeKind = 'newly_failing' | 'fixed' | 'exempted' | 'exemption_expired';

/** One verdict that moved between two scans, as SIEMs and automation want to hear about it. */
export interface FindingChange {
  change: ChangeKind;
  verdict: Verdict;
  previousStatus?: Verdict['status'];
}

const key = (v: Verdict) => `${v.accountId}\u0000${v.check}\u0000${v.principal}`;
const failing = (s: Verdict['status'] | undefined) => s === 'fail';

/**
 * What changed from one scan to the next. Unchanged verdicts, and moves between statuses that carry no
 * decision (pass ↔ not_applicable, error), are left out. An account that could not be read this time
 * (or was not scanned) reports nothing: its users did not get fixed just because the scan failed.
 */
export function findingChanges(previous: readonly Verdict[], current: readonly Verdict[]): FindingChange[] {
  const before = new Map(previous.map((v) => [key(v), v]));
  const erroredAccounts = new Set(current.filter((v) => v.status === 'error').map((v) => v.accountId));
  const readAccounts = new Set(current.filter((v) => !erroredAccounts.has(v.accountId)).map((v) => v.accountId));
  const changes: FindingChange[] = [];
  for (const v of current) {
    if (v.status === 'error' || v.status === 'not_evaluated') continue;
    const prev = before.get(key(v))?.status;
    const base = { verdict: v, ...(prev ? { previousStatus: prev } : {}) };
    if (v.status === 'fail' && !failing(prev)) {
      changes.push({ ...base, change: prev === 'exempt' ? 'exemption_expired' : 'newly_failing' });
    } else if (v.status === 'exempt' && prev !== 'exempt') {
      changes.push({ ...base, change: 'exempted' });
    } else if (
      (v.status === 'pass' || v.status === 'not_applicable') &&
      (failing(prev) || prev === 'grace' || prev === 'exempt')
    ) {
      changes.push({ ...base, change: 'fixed' });
    }
  }
  // A user who disappeared (deleted, or lost their console password entirely) while failing is fixed too.
  const seen = new Set(current.map(key));
  for (const v of previous) {
    if (!seen.has(key(v)) && (failing(v.status) || v.status === 'grace') && readAccounts.has(v.accountId)) {
      changes.push({
        change: 'fixed',
        verdict: { ...v, status: 'not_applicable', reason: 'The principal no longer exists.' },
        previousStatus: v.status,
      });
    }
  }
  return changes;
}
