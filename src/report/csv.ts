import { stringify } from 'csv-stringify/sync';
import type { ScanResult, Verdict } from '../domain/types.js';
import { findingRecord } from './findings.js';

const COLUMNS = [
  'check',
  'accountId',
  'principal',
  'arn',
  'status',
  'severity',
  'reason',
  'controls',
  'remediation',
  'deadline',
  'exemptionExpires',
] as const;

/** Spreadsheets run cells that start with these as formulas; IAM user names may start with + = - @. */
function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export function verdictsToCsv(verdicts: readonly Verdict[]): string {
  const rows = verdicts.map((v) => {
    const f = findingRecord(v);
    return [
      f.check,
      f.accountId,
      f.principal,
      f.arn,
      f.status,
      f.severity,
      f.reason,
      f.controls.join('; '),
      f.remediation,
      f.deadline ?? '',
      f.exemption?.expires ?? '',
    ].map(neutraliseFormula);
  });
  return stringify([[...COLUMNS], ...rows], { record_delimiter: 'unix' });
}

export function renderCsv(scan: ScanResult): string {
  return verdictsToCsv(scan.accounts.flatMap((a) => a.verdicts));
}
