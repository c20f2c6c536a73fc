import type { Partition } from '../domain/types.js';
import type { LiveCheckRecord } from './store.js';
import { verdictFromRow, verdictRow, type VerdictRow } from './records.js';

/** A live check as stored: the SQLite table's columns (the DynamoDB item carries the same). */
export interface LiveCheckRow {
  account_id: string;
  user_name: string;
  checked_at: string;
  found: number;
  partition: string | null;
  verdicts: string;
}

export function liveCheckRow(check: LiveCheckRecord): LiveCheckRow {
  return {
    account_id: check.accountId,
    user_name: check.userName,
    checked_at: check.checkedAt.toISOString(),
    found: check.found ? 1 : 0,
    partition: check.partition ?? null,
    verdicts: JSON.stringify(check.verdicts.map((v) => verdictRow(0, v.accountId, v))),
  };
}

export function liveCheckFromRow(r: LiveCheckRow): LiveCheckRecord {
  return {
    accountId: r.account_id,
    userName: r.user_name,
    checkedAt: new Date(r.checked_at),
    found: Boolean(r.found),
    ...(r.partition ? { partition: r.partition as Partition } : {}),
    verdicts: (JSON.parse(r.verdicts) as VerdictRow[]).map(verdictFromRow),
  };
}
