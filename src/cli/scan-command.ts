import { Option, type Command } from 'commander';
import { clientConfig, openAwsClients } from '../aws/clients.js';
import { ConfigError, loadConfig } from '../config/load.js';
import { readGrantedExemptions, withGranted } from '../jobs/granted-exemptions.js';
import { createOrganizationsClient } from '../aws/organization.js';
import { scanOrganization } from '../jobs/org-scan.js';
import { allVerdicts, hasFailures } from '../domain/summary.js';
import type { ScanResult } from '../domain/types.js';
import { InputError, scanCredentialReportFile } from '../jobs/offline-scan.js';
import { scanCurrentAccount, type ScanProgress } from '../jobs/scan.js';
import { renderAsff } from '../report/asff.js';
import { renderCsv } from '../report/csv.js';
import { renderJson } from '../report/findings.js';
import { renderOcsf } from '../report/ocsf.js';
import { renderTable } from '../report/table.js';
import { EXIT } from './exit-codes.js';
import { useColour, type CliIo } from './io.js';

export const FORMATS = ['table', 'json', 'csv', 'asff', 'ocsf'] as const;
export type Format = (typeof FORMATS)[number];

interface ScanFlags {
  profile?: string;
  region?: string;
  config?: string;
  format: Format;
  credentialReport?: string;
  all?: boolean;
  org?: boolean;
}

export function render(
  scan: ScanResult,
  format: Format,
  io: CliIo,
  all = false,
  region = clientConfig().region,
): string {
  if (format === 'json') return renderJson(scan);
  if (format === 'csv') return renderCsv(scan);
  if (format === 'asff') return renderAsff(scan, region);
  if (format === 'ocsf') return renderOcsf(scan);
  return renderTable(scan, {
    colour: useColour(io),
    now: io.now(),
    hide: all ? [] : ['not_applicable'],
    ...(io.columns ? { width: io.columns } : {}),
  });
}

export function exitCodeFor(scan: ScanResult): number {
  if (hasFailures(scan)) return EXIT.findings;
  return allVerdicts(scan).some((v) => v.status === 'error') || scan.accounts.some((a) => a.error)
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
    .option('--org', 'scan every account of the AWS Organization (the `organization` section of the config)')
    .action(async (flags: ScanFlags) => {
      const loaded = loadConfig(flags.config ?? io.env.MFA_BOT_CONFIG);
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
      io.stdout(render(scan, flags.format, io, flags.all, flags.region ?? config.securityHub?.region));
      // The table shows unreadable accounts itself; JSON and CSV are for programs, so people are told on stderr.
      if (flags.format !== 'table') reportAccountErrors(scan, io);
      setExit(exitCodeFor(scan));
    });
}
