import type { Verdict } from './types.js';

/** One IAM user's state as every answer and log line names it, from a scan or a live check. */
export type RowState =
  | 'fail'
  | 'grace'
  | 'pass'
  | 'pass-not-hardware'
  | 'exempt'
  | 'no-console'
  | 'unknown'
  | 'missing';

/** What is known of one IAM user: its per-user verdicts, or why there are none. */
export interface UserVerdicts {
  /** user-console-mfa, and user-hardware-mfa when that check is on. */
  verdicts: readonly Verdict[];
  /** A live check found no such IAM user. */
  missing?: boolean;
  /** A live check could not be made. */
  problem?: string;
}

/** The verdict on the user's console login, the one a nudge is about. */
export function consoleVerdict(verdicts: readonly Verdict[]): Verdict | undefined {
  return verdicts.find((v) => v.check === 'user-console-mfa');
}

export function rowState(row: UserVerdicts): RowState {
  if (row.missing) return 'missing';
  const v = consoleVerdict(row.verdicts);
  if (row.problem !== undefined || !v) return 'unknown';
  switch (v.status) {
    case 'fail':
      return 'fail';
    case 'grace':
      return 'grace';
    case 'exempt':
      return 'exempt';
    case 'not_applicable':
      return 'no-console';
    case 'pass':
      return row.verdicts.some((h) => h.check === 'user-hardware-mfa' && h.status === 'fail')
        ? 'pass-not-hardware'
        : 'pass';
    default:
      return 'unknown';
  }
}
