import { stringify } from 'csv-stringify/sync';
import Table from 'cli-table3';
import { coverage, type AccountScanSummary } from '../domain/trend.js';
import type { NudgeLogEntry } from './nudge-log.js';

export type HistoryFormat = 'table' | 'json' | 'csv';

const stamp = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const percent = (v: number | undefined) => (v === undefined ? '' : `${v.toFixed(1)}%`);
/** Spreadsheets run cells that start with these as formulas; IAM user names may start with + = - @. */
const cell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function complianceRow(s: AccountScanSummary) {
  const { pass, fail, grace, exempt } = s.users;
  return {
    scannedAt: s.scannedAt.toISOString(),
    scanId: s.scanId,
    accountId: s.accountId,
    alias: s.alias ?? '',
    consoleUsers: pass + fail + grace + exempt,
    withMfa: pass,
    failing: fail,
    grace,
    exempt,
    coverage: coverage(s),
    rootMfa: s.rootCredentialsPresent === false ? 'n/a' : s.rootMfa,
    failingAllChecks: s.failing,
    error: s.errorCode ?? '',
  };
}

/**
 * What the table says when no rows matched: that nothing is stored yet, or that the account asked for is not
 * among the stored scans (and which ones are).
 */
export function noComplianceRows(account: string | undefined, storedAccounts: readonly string[]): string {
  if (storedAccounts.length === 0) return 'No scans stored yet: `mfa-bot run` records the first.\n';
  if (account && !storedAccounts.includes(account)) {
    return (
      `No stored scan covers account ${account}. The stored ` +
      `scans cover ${[...storedAccounts].sort().join(', ')}.\n`
    );
  }
  return 'No scans match.\n';
}

/** Compliance over time: one row per account per scan, oldest first. */
export function renderCompliance(
  summaries: readonly AccountScanSummary[],
  format: HistoryFormat,
  empty = noComplianceRows(undefined, []),
): string {
  const rows = summaries.map(complianceRow);
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') {
    const head = [
      'scannedAt',
      'scanId',
      'accountId',
      'alias',
      'consoleUsers',
      'withMfa',
      'failing',
      'grace',
      'exempt',
      'coverage',
      'rootMfa',
      'failingAllChecks',
      'error',
    ] as const;
    return stringify(
      [[...head], ...rows.map((r) => head.map((k) => (k === 'coverage' ? percent(r.coverage) : cell(String(r[k])))))],
      { record_delimiter: 'unix' },
    );
  }
  if (rows.length === 0) return empty;
  const table = new Table({
    head: [
      'Scanned',
      'Account',
      'Console users',
      'With MFA',
      'Failing',
      'Grace',
      'Exempt',
      'Coverage',
      'Root MFA',
      'Error',
    ],
    style: { head: [], border: [] },
  });
  for (const r of rows) {
    table.push([
      stamp(new Date(r.scannedAt)),
      r.alias ? `${r.accountId} (${r.alias})` : r.accountId,
      r.consoleUsers,
      r.withMfa,
      r.failing,
      r.grace,
      r.exempt,
      percent(r.coverage),
      r.rootMfa,
      r.error,
    ]);
  }
  return `${table.toString()}\n`;
}

/** A user's nudge log: every case, message, snooze and help request, oldest first. */
export function renderNudgeLog(entries: readonly NudgeLogEntry[], format: HistoryFormat, userName: string): string {
  const rows = entries.map((e) => ({
    at: e.at.toISOString(),
    accountId: e.accountId,
    userName: e.userName,
    cycle: e.cycle ?? null,
    event: e.event,
    detail: e.detail,
  }));
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') {
    const head = ['at', 'accountId', 'userName', 'cycle', 'event', 'detail'] as const;
    return stringify([[...head], ...rows.map((r) => head.map((k) => cell(String(r[k] ?? ''))))], {
      record_delimiter: 'unix',
    });
  }
  if (rows.length === 0) return `No nudge history for ${userName}: the bot has never seen this user failing.\n`;
  const table = new Table({
    head: ['When', 'Account', 'IAM user', 'Cycle', 'Event', 'Detail'],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [22, 14, 20, 7, 16, 60],
  });
  for (const r of rows) table.push([stamp(new Date(r.at)), r.accountId, r.userName, r.cycle ?? '', r.event, r.detail]);
  return `${table.toString()}\n`;
}
