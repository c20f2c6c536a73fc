import { Option, type Command } from 'commander';
import { createAwsClients } from '../aws/clients.js';
import { loadConfig } from '../config/load.js';
import { runCycle, type CycleResult } from '../jobs/cycle.js';
import { createSlackApi, slackSettingsFromEnv } from '../slack/client.js';
import { slackErrorHint } from '../slack/errors.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';
import { renderPlanJson, renderPlanText } from './render-plan.js';

interface RunFlags {
  once?: boolean;
  config?: string;
  dryRun?: boolean;
  format: 'text' | 'json';
  profile?: string;
  region?: string;
}

function summarise(result: CycleResult, io: CliIo): number {
  const { outcome } = result;
  if (!outcome) return EXIT.ok;
  let code: number = EXIT.ok;
  const d = outcome.digest;
  if (d.ok) io.stdout(`Digest posted to ${result.plan.digest.channel} (ts ${d.ts}).\n`);
  else {
    code = EXIT.delivery;
    const hint = d.error ? slackErrorHint(d.error) : undefined;
    io.stderr(`mfa-bot: the digest was not posted: ${d.error}${hint ? ` (${hint})` : ''}\n`);
  }
  if (d.fileError) {
    code = EXIT.delivery;
    io.stderr(`mfa-bot: the full findings CSV was not attached: ${d.fileError}\n`);
  }
  const failed = outcome.dms.filter((o) => !o.ok);
  if (!result.plan.nudgesEnabled) io.stdout(`Nudges are off (nudges.enabled: false): ${result.plan.dms.length} DMs not sent.\n`);
  else io.stdout(`DMs: ${outcome.dms.length - failed.length} sent, ${failed.length} failed.\n`);
  for (const f of failed) {
    code = EXIT.delivery;
    const hint = f.error ? slackErrorHint(f.error) : undefined;
    io.stderr(`mfa-bot: DM to ${f.recipient} (IAM user ${f.userName} in ${f.accountId}) failed: ${f.error}${hint ? ` (${hint})` : ''}\n`);
  }
  if (result.plan.unmapped.length) io.stdout(`${result.plan.unmapped.length} failing users have no Slack match; the digest lists them as unmapped.\n`);
  return code;
}

export function registerRun(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('one cycle: scan, post the digest to Slack, send the nudges that are due')
    .option('--once', 'run one cycle and exit (the only mode for now; `serve` runs on a schedule)')
    .option('--config <file>', 'config file (YAML); default $MFA_BOT_CONFIG')
    .option('--dry-run', 'send nothing: print the digest and every DM exactly as they would be sent, with their recipients')
    .addOption(new Option('--format <format>', 'dry-run output: readable text, or Block Kit JSON').choices(['text', 'json']).default('text'))
    .option('--profile <name>', 'AWS shared-config profile to use')
    .option('--region <region>', 'AWS region for the API endpoints')
    .action(async (flags: RunFlags) => {
      const config = loadConfig(flags.config ?? io.env.MFA_BOT_CONFIG);
      const slackSettings = slackSettingsFromEnv(io.env);
      const slack = slackSettings ? createSlackApi(slackSettings, { log: (l) => io.stderr(`${l}\n`) }) : undefined;
      if (flags.dryRun && !slack) io.stderr('mfa-bot: SLACK_BOT_TOKEN is not set: e-mail mappings cannot be checked against Slack in this preview\n');
      const result = await runCycle(
        {
          aws: createAwsClients({ profile: flags.profile, region: flags.region }),
          ...(slack ? { slack } : {}),
          config,
          now: io.now,
          ...(io.stderrIsTty ? { onDm: (o, done, total) => io.stderr(`\rDMs ${done}/${total}${done === total ? '\n' : ''}`) } : {}),
        },
        { dryRun: Boolean(flags.dryRun) },
      );
      for (const a of result.scan.accounts) {
        if (a.error) io.stderr(`mfa-bot: account ${a.accountId}: ${a.error.code}: ${a.error.message}${a.error.hint ? ` (hint: ${a.error.hint})` : ''}\n`);
      }
      for (const t of result.tagErrors) io.stderr(`mfa-bot: could not read the tags of ${t.userName} in ${t.accountId}: ${t.code}\n`);
      let code: number;
      if (flags.dryRun) {
        io.stdout(flags.format === 'json' ? renderPlanJson(result.plan) : renderPlanText(result.plan));
        code = EXIT.ok;
      } else {
        code = summarise(result, io);
      }
      if (code === EXIT.ok && result.scan.accounts.some((a) => a.error)) code = EXIT.scanError;
      setExit(code);
    });
}
