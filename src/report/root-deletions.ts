import { stringify } from 'csv-stringify/sync';
import Table from 'cli-table3';
import type { DeliveryRecord } from '../store/store.js';
import type { HistoryFormat } from './history.js';

const STATE: Record<DeliveryRecord['state'], string> = {
  sent: 'deleted',
  unconfirmed: 'deleted',
  claimed: 'in progress (or interrupted: the next press settles it)',
  failed: 'failed (a press may try again)',
  abandoned: 'failed: given up',
};

/** One line per member account whose root credentials an approver deleted (or tried to): who, what, when. */
export function rootDeletionRows(records: ReadonlyArray<{ accountId: string; record: DeliveryRecord }>) {
  return records.map(({ accountId, record: r }) => ({
    at: (r.sentAt ?? r.claimedAt).toISOString(),
    approvedAt: r.claimedAt.toISOString(),
    accountId,
    what: 'root password, access keys and signing certificates; MFA devices deactivated',
    by: r.by ?? '',
    state: STATE[r.state],
    attempts: r.attempts,
    error: r.error ?? '',
  }));
}

export function renderRootDeletions(
  records: ReadonlyArray<{ accountId: string; record: DeliveryRecord }>,
  format: HistoryFormat,
): string {
  const rows = rootDeletionRows(records);
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const head = ['at', 'approvedAt', 'accountId', 'what', 'by', 'state', 'attempts', 'error'] as const;
  if (format === 'csv')
    return stringify([[...head], ...rows.map((r) => head.map((k) => String(r[k])))], { record_delimiter: 'unix' });
  if (rows.length === 0) return 'No root credentials deleted by mfa-bot.\n';
  const table = new Table({
    head: ['When', 'Account', 'Root credentials', 'What', 'Approved by', 'Error'],
    style: { head: [], border: [] },
    wordWrap: true,
  });
  for (const r of rows) {
    const when = `${r.at.slice(0, 16).replace('T', ' ')} UTC`;
    table.push([when, r.accountId, r.state, r.what, r.by, r.error]);
  }
  return `Root credentials:\n${table.toString()}\n`;
}
