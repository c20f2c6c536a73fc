import { InvalidArgumentError, Option, type Command } from 'commander';
import picocolors from 'picocolors';
import { runDoctor, type AccountSample, type DoctorCheck, type DoctorReport } from '../jobs/doctor/run-doctor.js';
import { EXIT } from './exit-codes.js';
import { useColour, type CliIo } from './io.js';

interface DoctorFlags {
  config?: string;
  profile?: string;
  region?: string;
  accounts?: AccountSample;
  format: 'text' | 'json';
}

/** `--accounts 5` (the first five members) or `--accounts 111122223333,444455556666`. */
export function parseAccounts(value: string): AccountSample {
  if (/^\d{1,6}$/.test(value) && Number(value) > 0) return { count: Number(value) };
  const ids = value.split(',').map((v) => v.trim());
  if (ids.length > 0 && ids.every((id) => /^\d{12}$/.test(id))) return { ids };
  throw new InvalidArgumentError('give a number of accounts, or 12-digit account IDs separated by commas');
}

export function renderDoctorText(report: DoctorReport, colour: boolean): string {
  const c = picocolors.createColors(colour);
  const mark = { ok: c.green('ok  '), fail: c.red(c.bold('FAIL')), skip: c.yellow('skip') } as const;
  const fixLine = (k: DoctorCheck) => (k.fix ? `      ${c.bold('fix:')} ${k.fix}\n` : '');
  const line = (k: DoctorCheck) => `${mark[k.status]}  ${k.area.padEnd(8)} ${k.name}: ${k.detail}\n${fixLine(k)}`;
  const count = (s: DoctorCheck['status']) => report.checks.filter((k) => k.status === s).length;
  const summary = `${count('ok')} ok, ${count('fail')} failed, ${count('skip')} skipped`;
  const verdict = report.passed ? 'ready for a first run.' : 'fix the FAIL lines, then run doctor again.';
  return `${report.checks.map(line).join('')}\n${summary}: ${verdict}\n`;
}

export function registerDoctor(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('doctor')
    .description(
      'check a setup before the first real run: the config, AWS permissions, Slack, the state and the ' +
        'schedules, one line each with the fix; only reads, nothing is sent or kept',
    )
    .option('--config <file>', 'config file (YAML); default $MFA_BOT_CONFIG')
    .option('--profile <name>', 'AWS shared-config profile to use')
    .option('--region <region>', 'AWS region for the API endpoints')
    .option(
      '--accounts <N|ID,ID>',
      'organization: try only the first N member accounts, or these account IDs (default: every one in scope)',
      parseAccounts,
    )
    .addOption(new Option('--format <format>', 'readable text, or JSON').choices(['text', 'json']).default('text'))
    .action(async (flags: DoctorFlags) => {
      const fromFlag = flags.config !== undefined;
      const path = flags.config ?? io.env.MFA_BOT_CONFIG;
      const report = await runDoctor({
        config: { ...(path ? { path, from: fromFlag ? '--config' : 'MFA_BOT_CONFIG' } : {}) },
        cwd: process.cwd(),
        env: io.env,
        aws: {
          ...(flags.profile ? { profile: flags.profile } : {}),
          ...(flags.region ? { region: flags.region } : {}),
        },
        ...(flags.accounts ? { accounts: flags.accounts } : {}),
      });
      io.stdout(
        flags.format === 'json'
          ? `${JSON.stringify({ passed: report.passed, checks: report.checks }, null, 2)}\n`
          : renderDoctorText(report, useColour(io)),
      );
      setExit(report.passed ? EXIT.ok : EXIT.doctor);
    });
}
