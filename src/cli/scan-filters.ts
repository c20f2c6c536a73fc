import { InvalidArgumentError } from 'commander';
import { REGISTERED_CHECK_IDS, type CheckId } from '../domain/checks/ids.js';
import type { FindingFilter } from '../domain/finding-filter.js';
import { SEVERITIES, STATUSES, type ScanResult, type Severity, type Status } from '../domain/types.js';
import { InputError } from '../jobs/offline-scan.js';
import { CSV_COLUMNS, type CsvColumn } from '../report/csv.js';

/**
 * A commander option parser for a comma list of known values; a repeated option adds to the list. An unknown
 * value is refused (exit 2) naming the valid ones.
 */
function listOf<T extends string>(valid: readonly T[], what: string) {
  return (value: string, previous: T[] | undefined): T[] => {
    const items = value.split(',').map((s) => s.trim().toLowerCase());
    const unknown = items.filter((s) => !(valid as readonly string[]).includes(s));
    if (unknown.length > 0)
      throw new InvalidArgumentError(
        `unknown ${what} ${unknown.map((u) => `'${u}'`).join(', ')}; valid: ${valid.join(', ')}`,
      );
    return [...new Set([...(previous ?? []), ...(items as T[])])];
  };
}

export const parseStatuses = listOf<Status>(STATUSES, 'status');
export const parseSeverities = listOf<Severity>(SEVERITIES, 'severity');
export const parseChecks = listOf<CheckId>(REGISTERED_CHECK_IDS, 'check');

export function parseAccounts(value: string, previous: string[] | undefined): string[] {
  const items = value.split(',').map((s) => s.trim());
  const bad = items.filter((s) => !/^\d{12}$/.test(s));
  if (bad.length > 0)
    throw new InvalidArgumentError(
      `${bad.map((b) => `'${b}'`).join(', ')} is not an AWS account ID (12 digits, e.g. 111122223333)`,
    );
  return [...new Set([...(previous ?? []), ...items])];
}

/** `--columns`: CSV columns by name, in the order given. */
export function parseColumns(value: string): CsvColumn[] {
  const items = value.split(',').map((s) => s.trim());
  const unknown = items.filter((c) => !(CSV_COLUMNS as string[]).includes(c));
  if (unknown.length > 0 || items.length === 0)
    throw new InvalidArgumentError(
      `unknown column ${unknown.map((u) => `'${u}'`).join(', ')}; valid: ${CSV_COLUMNS.join(', ')}`,
    );
  return items as CsvColumn[];
}

export interface FilterFlags {
  status?: Status[];
  severity?: Severity[];
  check?: CheckId[];
  account?: string[];
}

export function filterOf(flags: FilterFlags): FindingFilter {
  return {
    ...(flags.status ? { statuses: flags.status } : {}),
    ...(flags.severity ? { severities: flags.severity } : {}),
    ...(flags.check ? { checks: flags.check } : {}),
    ...(flags.account ? { accounts: flags.account } : {}),
  };
}

const SHOW_ACCOUNTS = 10;

/** Which accounts a scan covers is known only after it: an --account it did not cover is refused then. */
export function requireScannedAccounts(scan: ScanResult, accounts: readonly string[] | undefined): void {
  const scanned = scan.accounts.map((a) => a.accountId);
  const missing = (accounts ?? []).filter((a) => !scanned.includes(a));
  if (missing.length === 0) return;
  const list =
    scanned.slice(0, SHOW_ACCOUNTS).join(', ') +
    (scanned.length > SHOW_ACCOUNTS ? ` and ${scanned.length - SHOW_ACCOUNTS} more` : '');
  throw new InputError(
    `--account ${missing.join(',')}: not in this scan; ` +
      `the scan covered ${scanned.length === 1 ? 'account' : 'accounts'} ${list}`,
  );
}

/** "--status fail --check user-console-mfa": the filter as it was asked for, for the table's note. */
export function describeFilter(filter: FindingFilter): string {
  return [
    filter.statuses && `--status ${filter.statuses.join(',')}`,
    filter.severities && `--severity ${filter.severities.join(',')}`,
    filter.checks && `--check ${filter.checks.join(',')}`,
    filter.accounts && `--account ${filter.accounts.join(',')}`,
  ]
    .filter(Boolean)
    .join(' ');
}
