import { stringify } from 'csv-stringify/sync';
import type { AccountResult, ScanResult, Verdict } from '../domain/types.js';
import { findingRecord, type FindingRecord } from './findings.js';

interface CsvCellSource {
  finding: FindingRecord;
  account: AccountResult | undefined;
  scannedAt: Date;
}

/** Every column `scan --format csv` can write, in its default order; the last two were added later, at the end. */
const CELLS = {
  check: ({ finding }) => finding.check,
  accountId: ({ finding }) => finding.accountId,
  principal: ({ finding }) => finding.principal,
  arn: ({ finding }) => finding.arn,
  status: ({ finding }) => finding.status,
  severity: ({ finding }) => finding.severity,
  reason: ({ finding }) => finding.reason,
  controls: ({ finding }) => finding.controls.join('; '),
  remediation: ({ finding }) => finding.remediation,
  deadline: ({ finding }) => finding.deadline ?? '',
  exemptionExpires: ({ finding }) => finding.exemption?.expires ?? '',
  /** The account alias (ListAccountAliases), when the scan could read one. */
  alias: ({ account }) => account?.alias ?? '',
  /** Whole minutes between the credential report's generation and the scan: AWS reuses a report for 4 hours. */
  reportAgeMinutes: ({ account, scannedAt }) =>
    account?.credentialReportGeneratedAt
      ? String(Math.max(0, Math.floor((scannedAt.getTime() - account.credentialReportGeneratedAt.getTime()) / 60_000)))
      : '',
} satisfies Record<string, (s: CsvCellSource) => string>;

export type CsvColumn = keyof typeof CELLS;
export const CSV_COLUMNS = Object.keys(CELLS) as CsvColumn[];

/** Spreadsheets run cells that start with these as formulas; IAM user names may start with + = - @. */
function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One row per finding of every account, with the given columns in the given order (default: all). */
export function renderCsv(scan: ScanResult, columns: readonly CsvColumn[] = CSV_COLUMNS): string {
  const rows = scan.accounts.flatMap((account) =>
    account.verdicts.map((v: Verdict) => {
      const source = { finding: findingRecord(v), account, scannedAt: scan.generatedAt };
      return columns.map((c) => neutraliseFormula(CELLS[c](source)));
    }),
  );
  return stringify([[...columns], ...rows], { record_delimiter: 'unix' });
}
