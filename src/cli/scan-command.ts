import { configPathFor } from './config-path.js';
import { Option, type Command } from 'commander';
import { clientConfig, openAwsClients } from '../aws/clients.js';
import { ConfigError, loadConfig } from '../config/load.js';
import { readGrantedExemptions, withGranted } from '../jobs/granted-exemptions.js';
import { createOrganizationsClient } from '../aws/organization.js';
import { scanOrganization } from '../jobs/org-scan.js';
import { allVerdicts, hasFailures } from '../domain/summary.js';
import { SEVERITIES, STATUSES, type ScanResult } from '../domain/types.js';
import { REGISTERED_CHECK_IDS } from '../domain/checks/ids.js';
import { InputError, scanCredentialReportFile } from '../jobs/offline-scan.js';
import { scanCurrentAccount, type ScanProgress } from '../jobs/scan.js';
import { renderAsff } from '../report/asff.js';
import { CSV_COLUMNS, renderCsv, type CsvColumn } from '../report/csv.js';
import { filterScan, isFiltering, type FilteredScan, type FindingFilter } from '../domain/finding-filter.js';
import { renderJson } from '../report/findings.js';
import { renderOcsf } from '../report/ocsf.js';
import { renderTable } from '../report/table.js';
import { EXIT } from './exit-codes.js';
import { useColour, type CliIo } from './io.js';
import {
  describeFilter,
  filterOf,
  parseAccounts,
  parseChecks,
  parseColumns,
  parseSeverities,
  parseStatuses,
  requireScannedAccounts,
  type FilterFlags,
} from './scan-filters.js';

export const FORMATS = ['table', 'json', 'csv', 'asff', 'ocsf'] as const;
export type Format = (typeof FORMATS)[number];

interface ScanFlags extends FilterFlags {
  columns?: CsvColumn[];
  profile?: string;
  region?: string;
  config?: string;
  format: Format;
  credentialReport?: string;
  all?: boolean;
  org?: boolean;
}

export interface RenderOptions {
  format: Format;
  /** Table: also list principals the checks do not apply to. */
  all?: boolean;
  region?: string;
  columns?: readonly CsvColumn[];
  filter?: FindingFilter;
}

/** The filtered scan in the chosen format. */
export function render(filtered: FilteredScan, io: CliIo, options: RenderOptions): string {
  const { scan } = filtered;
  const { format, filter = {} } = options;
  if (format === 'json') return renderJson(scan);
  if (format === 'csv') return renderCsv(scan, options.columns);
  if (format === 'asff') return renderAsff(scan, options.region ?? clientConfig().region);
  if (format === 'ocsf') return renderOcsf(scan);
  const shown = scan.accounts.reduce((n, a) => n + a.verdicts.length, 0);
  return renderTable(scan, {
    colour: useColour(io),
    now: io.now(),
    // A status filter names what to list, not_applicable included.
    hide: options.all || filter.statuses ? [] : ['not_applicable'],
    ...(io.columns ? { width: io.columns } : {}),
    ...(isFiltering(filter)
      ? { note: `Filtered by ${describeFilter(filter)}: ${shown} of ${filtered.total} findings shown.` }
      : {}),
  });
}

/**
 * 1 when a finding shown fails; else 3 when an account shown could not be scanned, or an `error` finding is
 * shown or was hidden only by the status filter (an unknown status may be a fail); else 0.
 */
export function exitCodeFor(scan: ScanResult, hiddenErrors = 0): number {
  if (hasFailures(scan)) return EXIT.findings;
  return hiddenErrors > 0 || allVerdicts(scan).some((v) => v.status === 'error') || scan.accounts.some((a) => a.error)
    ? EXIT.scanError
    : EXIT.ok;
}

export function reportAccountErrors(scan: ScanResult, io: CliIo): void {
  for (const a of scan.accounts) {
    if (a.error)
      io.stderr(
        `mfa-bot: account ${a.accountId}: ${a.error.code}: ` +
          `${a.error.message}${a.error.hint ? ` (hint: ${a.error.hint})` : ''}\n`,
      );
  }
}

export function progressReporter(io: CliIo): (e: ScanProgress) => void {
  return (e) => {
    if (e.kind === 'account-start') {
      if (e.total === 1) io.stderr(`Scanning ${e.accountId}...\n`);
      return;
    }
    const where = e.total > 1 ? `[${e.index + 1}/${e.total}] ` : '';
    const failing = e.result.verdicts.filter((v) => v.status === 'fail').length;
    io.stderr(
      `${where}${e.result.accountId}${e.result.name ? ` (${e.result.name})` : ''}: ` +
        `${e.result.error ? `could not scan: ${e.result.error.code}` : `${failing} failing`}\n`,
    );
  };
}

export function registerScan(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('scan')
    .description(
      'scan the AWS account of the current credentials (or an offline ' +
        'credential report) and report every console login without MFA',
    )
    .option('--profile <name>', 'AWS shared-config profile to use')
    .option('--region <region>', 'AWS region for the API endpoints (IAM is global)')
    .option('--config <file>', 'config file (YAML); default $MFA_BOT_CONFIG')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .option('--credential-report <file>', 'evaluate a credential report CSV downloaded from the IAM console, offline')
    .option('--all', 'table format: also list principals the checks do not apply to')
    .option('--status <list>', `comma list: only findings of these statuses (${STATUSES.join(', ')})`, parseStatuses)
    .option(
      '--severity <list>',
      `comma list: only findings of these severities, the check's (${SEVERITIES.join(', ')})`,
      parseSeverities,
    )
    .option('--check <list>', `comma list: only these checks (${REGISTERED_CHECK_IDS.join(', ')})`, parseChecks)
    .option('--account <list>', 'comma list: only these AWS account IDs (12 digits)', parseAccounts)
    .option(
      '--columns <list>',
      `csv format, comma list: these columns, in this order (default, all: ${CSV_COLUMNS.join(', ')})`,
      parseColumns,
    )
    .option('--org', 'scan every account of the AWS Organization (the `organization` section of the config)')
    .action(async (flags: ScanFlags) => {
      if (flags.columns && flags.format !== 'csv')
        throw new InputError(`--columns selects CSV columns: it needs --format csv (not ${flags.format})`);
      const loaded = loadConfig(configPathFor(flags.config, io));
      const config = withGranted(
        loaded,
        await readGrantedExemptions(loaded, io.now(), (line) => io.stderr(`mfa-bot: ${line}\n`)),
      );
      let scan: ScanResult;
      const onProgress = io.stderrIsTty ? progressReporter(io) : undefined;
      if (flags.credentialReport) {
        if (flags.org)
          throw new InputError(
            '--org and --credential-report do not go together: a downloaded report covers one account',
          );
        scan = scanCredentialReportFile(flags.credentialReport, config, io.now());
      } else if (flags.org) {
        if (!config.organization)
          throw new ConfigError('--org needs an `organization` section with at least roleName in the config file');
        const aws = { profile: flags.profile, region: flags.region };
        ({ scan } = await scanOrganization(
          await openAwsClients(aws),
          createOrganizationsClient(aws),
          config,
          config.organization,
          { now: io.now, aws, ...(onProgress ? { onProgress } : {}) },
        ));
      } else {
        const clients = await openAwsClients({ profile: flags.profile, region: flags.region });
        scan = await scanCurrentAccount(clients, config, { now: io.now, ...(onProgress ? { onProgress } : {}) });
      }
      requireScannedAccounts(scan, flags.account);
      const filter = filterOf(flags);
      const filtered = filterScan(scan, filter);
      const region = flags.region ?? config.securityHub?.region;
      io.stdout(
        render(filtered, io, {
          format: flags.format,
          filter,
          ...(flags.all ? { all: true } : {}),
          ...(region ? { region } : {}),
          ...(flags.columns ? { columns: flags.columns } : {}),
        }),
      );
      // The table shows unreadable accounts itself; JSON and CSV are for programs, so people are told on stderr.
      if (flags.format !== 'table') reportAccountErrors(filtered.scan, io);
      if (filtered.hiddenErrors > 0)
        io.stderr(
          `mfa-bot: ${filtered.hiddenErrors} finding${filtered.hiddenErrors === 1 ? '' : 's'} could not be ` +
            `evaluated (status error) and ${filtered.hiddenErrors === 1 ? 'is' : 'are'} not shown by --status; ` +
            'add --status error to see why\n',
        );
      setExit(exitCodeFor(filtered.scan, filtered.hiddenErrors));
    });
}
