import { configPathFor } from './config-path.js';
import { Option, type Command } from 'commander';
import { openAwsClients } from '../aws/clients.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { DeliveryError, previewScan, runCycle, type CycleResult } from '../jobs/cycle.js';
import { InputError, scanCredentialReportFile } from '../jobs/offline-scan.js';
import { SqliteStateStore } from '../store/sqlite/sqlite-store.js';
import { runNudgePass, type NudgePassResult } from '../jobs/nudge-pass.js';
import { nudgePassAccess } from '../jobs/scheduled-jobs.js';
import { isDm, type DeliveryPlan } from '../jobs/plan-delivery.js';
import type { RecoveredClaim } from '../jobs/recover-claims.js';
import { isChartKey } from '../jobs/digest-chart.js';
import type { ScanResult } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import { num, plural } from '../slack/blocks/format.js';
import { createSlackApi, slackSettingsFromEnv } from '../slack/client.js';
import { dmOutcome, type DeliveryOutcome } from '../jobs/deliver.js';
import { slackErrorHint } from '../slack/errors.js';
import { StateStoreError } from '../store/errors.js';
import { openStateStore } from '../store/open-store.js';
import type { StateStore } from '../store/store.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';
import { renderPlanJson, renderPlanText } from './render-plan.js';
import { exitCodeFor, reportAccountErrors } from './scan-command.js';
import { requireDigestChannel } from './settings.js';

interface RunFlags {
  credentialReport?: string;
  once?: boolean;
  nudgesOnly?: boolean;
  config?: string;
  dryRun?: boolean;
  format: 'text' | 'json';
  profile?: string;
  region?: string;
}

function hinted(error: string | undefined): string {
  const hint = error ? slackErrorHint(error) : undefined;
  return `${error}${hint ? ` (${hint})` : ''}`;
}

function summariseDigest(
  channel: string | undefined,
  digest: NonNullable<DeliveryOutcome['digest']>,
  io: CliIo,
  label = 'the digest',
): number {
  if (digest.skipped === 'already-posted') {
    // Digests are keyed by the findings: a new scan that found the same is this case too.
    io.stdout(
      'Nothing changed since the digest already in ' +
        `${channel}${digest.ts ? ` (ts ${digest.ts})` : ''}: not posted again.\n`,
    );
    return EXIT.ok;
  }
  let code: number = EXIT.ok;
  if (digest.ok) io.stdout(`Digest posted to ${channel} (ts ${digest.ts}).\n`);
  else {
    code = EXIT.delivery;
    io.stderr(`mfa-bot: ${label} was not posted: ${hinted(digest.error)}\n`);
  }
  if (digest.fileError) {
    code = EXIT.delivery;
    io.stderr(`mfa-bot: the full findings CSV was not attached: ${digest.fileError}\n`);
  }
  // The chart is an extra: its failure is said, but does not make the run fail.
  if (digest.chart?.ok) io.stdout("Coverage chart attached in the digest's thread.\n");
  else if (digest.chart) io.stderr(`mfa-bot: the coverage chart was not attached: ${hinted(digest.chart.error)}\n`);
  return code;
}

function summariseRecovery(recovered: RecoveredClaim[], io: CliIo): void {
  for (const r of recovered) {
    const what =
      r.claim.key.type === 'case'
        ? `${r.claim.step} for ${r.claim.key.case.userName} in ${r.claim.key.case.accountId}`
        : isChartKey(r.claim.key)
          ? 'the coverage chart'
          : 'the digest';
    const outcome = {
      'found-sent': 'it had been sent; recorded now',
      'not-sent': 'it had not been sent; sending it again',
      unknown: `Slack could not say whether it was sent (${r.detail}); it is not sent again`,
      'retry-update': 'the update is retried',
    }[r.outcome];
    io.stderr(`mfa-bot: an earlier run stopped while sending ${what}: ${outcome}\n`);
  }
}

/** What `run` reports on: a whole cycle, or (with --nudges-only) a nudge pass. */
type RunReport = Pick<CycleResult, 'plan' | 'recovered'> &
  Partial<Pick<CycleResult, 'outcome' | 'events' | 'scan' | 'securityHub' | 'policy'>>;

/** "3 people to nudge have no Slack match (2 failing, 1 in grace)": grace users are not counted as failing. */
function unmappedLine(unmapped: DeliveryPlan['unmapped'], scan: ScanResult | undefined): string {
  const inGrace = new Set(
    (scan?.accounts ?? []).flatMap((a) =>
      a.verdicts.filter((v) => v.status === 'grace').map((v) => `${v.accountId}/${v.principal}`),
    ),
  );
  const grace = unmapped.filter((u) => inGrace.has(`${u.accountId}/${u.userName}`)).length;
  const who =
    `${plural(unmapped.length, 'person', 'people')} to nudge ` +
    `${unmapped.length === 1 ? 'has' : 'have'} no Slack match`;
  return scan ? `${who} (${num(unmapped.length - grace)} failing, ${num(grace)} in grace)` : who;
}

function summarise(result: RunReport, io: CliIo): number {
  const { outcome, plan } = result;
  summariseRecovery(result.recovered, io);
  if (!outcome) return EXIT.ok;
  let code = outcome.digest ? summariseDigest(plan.digest?.channel, outcome.digest, io) : EXIT.ok;
  for (const routed of outcome.routedDigests ?? [])
    code = Math.max(code, summariseDigest(routed.channel, routed, io, `the routed digest for ${routed.channel}`));
  const dms = outcome.messages.filter((o) => isDm(o.message));
  const others = outcome.messages.filter((o) => !isDm(o.message));
  const planned = plan.messages.filter(isDm).length;
  if (!plan.nudgesEnabled)
    io.stdout(`Nudges are off (nudges.enabled: false)${planned ? `: ${plural(planned, 'DM')} not sent` : ''}.\n`);
  else {
    const count = (list: typeof dms, status: string) => list.filter((o) => o.status === status).length;
    const skipped = count(dms, 'skipped');
    io.stdout(
      `DMs: ${count(dms, 'sent')} sent, ${count(dms, 'failed')} ` +
        `failed${skipped ? `, ${skipped} already sent by another run` : ''}.\n`,
    );
    if (others.length)
      io.stdout(`Escalations and updates: ${count(others, 'sent')} sent, ${count(others, 'failed')} failed.\n`);
    if (plan.waiting.length) {
      const next = plan.waiting.reduce((a, b) => (b.sendAt < a.sendAt ? b : a));
      const waiting =
        plan.waiting.length === 1
          ? '1 message waits for its time'
          : `${plural(plan.waiting.length, 'message')} wait for their time`;
      io.stdout(`${waiting} (cadence, snooze or working hours); the next at ${next.sendAt.toISOString()}.\n`);
    }
  }
  if (outcome.stopped) {
    code = EXIT.delivery;
    io.stderr(
      `mfa-bot: ${outcome.stopped} (${outcome.messages.filter((m) => m.status === 'not-sent').length} ` +
        `messages not sent).\n`,
    );
  }
  for (const p of result.policy ?? []) {
    const what = p.step === 'enforced' ? 'attached the require-MFA policy to' : 'detached the require-MFA policy from';
    if (p.status === 'done') io.stdout(`Enforcement: ${what} ${p.key.userName} in ${p.key.accountId}.\n`);
    if (p.status !== 'failed') continue;
    code = EXIT.delivery;
    io.stderr(`mfa-bot: enforcement could not have ${what} ${p.key.userName} in ${p.key.accountId}: ${p.error}\n`);
  }
  for (const o of outcome.messages.filter((m) => m.status === 'failed')) {
    code = EXIT.delivery;
    const d = dmOutcome(o);
    const what = isDm(o.message) ? `DM to ${d.recipient}` : `${o.message.label} in ${d.recipient}`;
    io.stderr(`mfa-bot: ${what} (IAM user ${d.userName} in ${d.accountId}) failed: ${hinted(d.error)}\n`);
  }
  if (plan.unmapped.length)
    io.stdout(`${unmappedLine(plan.unmapped, result.scan)}; the digest lists them as unmapped.\n`);
  if (result.events) {
    const e = result.events;
    io.stdout(`Finding changes: ${e.published} published to EventBridge bus ${e.busName}.\n`);
    for (const f of e.failed) {
      code = EXIT.delivery;
      io.stderr(
        `mfa-bot: the ${f.change.change} event for ${f.change.verdict.principal} ` +
          `in ${f.change.verdict.accountId} was not published: ${f.errorCode}\n`,
      );
    }
  }
  const hub = result.securityHub;
  if (hub?.error) {
    code = EXIT.delivery;
    io.stderr(
      `mfa-bot: Security Hub import failed: ${hub.error} (is Security Hub on ` +
        `in that region? policy/mfa-bot-securityhub.json lists the permissions)\n`,
    );
  } else if (hub) {
    io.stdout(
      `Security Hub: ${hub.imported} findings imported (${hub.open} ` +
        `open, ${hub.resolved} resolved) under ${hub.productArn}.\n`,
    );
    for (const f of hub.failed ?? []) {
      code = EXIT.delivery;
      io.stderr(
        `mfa-bot: Security Hub rejected finding ${f.id}: ` +
          `${f.errorCode}${f.errorMessage ? `: ${f.errorMessage}` : ''}\n`,
      );
    }
  }
  return code;
}

/** `run --nudges-only`: the nudge pass that `serve` runs every hour, for hosts driven by an outside cron. */
async function nudgesOnly(
  flags: RunFlags,
  deps: { config: Config; store: StateStore; slack?: SlackApi; io: CliIo },
): Promise<number> {
  const { io } = deps;
  let result: NudgePassResult;
  try {
    const aws = await openAwsClients({ profile: flags.profile, region: flags.region });
    result = await runNudgePass(
      {
        store: deps.store,
        config: deps.config,
        now: io.now,
        ...(deps.slack ? { slack: deps.slack } : {}),
        ...(await nudgePassAccess(aws, deps.config)),
      },
      { dryRun: Boolean(flags.dryRun) },
    );
  } finally {
    await deps.store.close();
  }
  if (!result.plan) {
    io.stdout(`Nothing to do: ${result.skipped ?? 'no scan is stored yet'}.\n`);
    return EXIT.ok;
  }
  if (flags.dryRun) {
    io.stdout(flags.format === 'json' ? renderPlanJson(result.plan) : renderPlanText(result.plan));
    return EXIT.ok;
  }
  return summarise(
    { plan: result.plan, recovered: result.recovered, ...(result.outcome ? { outcome: result.outcome } : {}) },
    io,
  );
}

/**
 * A downloaded report is one account at one past moment: a real run would save it as the latest scan, so close
 * cases and thank people from stale data, and it cannot read the IAM tags that match people to Slack.
 */
function refuseOfflineRun(flags: RunFlags): void {
  if (flags.nudgesOnly)
    throw new InputError('--nudges-only scans nothing, so it takes no --credential-report; drop one of them');
  if (!flags.dryRun)
    throw new InputError(
      '--credential-report needs --dry-run: a downloaded report is one account at one past moment, and a real ' +
        'run would record it as the latest scan (closing nudges and thanking people from stale data) without ' +
        'the IAM tags that match people to Slack. Preview it with --dry-run; for a real run, let mfa-bot scan',
    );
}

/** `run --credential-report FILE --dry-run`: the digest and DMs a first run would send, from the file alone. */
async function previewReport(
  path: string,
  flags: RunFlags,
  deps: { config: Config; io: CliIo; slack?: SlackApi },
): Promise<number> {
  const { config, io } = deps;
  const scan = scanCredentialReportFile(path, config, io.now());
  io.stderr(
    'mfa-bot: previewing the report as a first run would see it: no AWS call is made and no state is read, ' +
      'so no IAM tags either (people are matched by user name, identity.emailDomain and identity.map)\n',
  );
  const store = SqliteStateStore.inMemory(io.now());
  let result: CycleResult;
  try {
    result = await previewScan({ config, store, now: io.now, ...(deps.slack ? { slack: deps.slack } : {}) }, scan);
  } finally {
    await store.close();
  }
  io.stdout(flags.format === 'json' ? renderPlanJson(result.plan) : renderPlanText(result.plan));
  return exitCodeFor(result.scan);
}

export function registerRun(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('run')
    .description(
      'one cycle, then exit: scan, post the digest to Slack, send ' +
        'the nudges that are due (for a schedule, use serve or cron)',
    )
    .option('--once', 'one cycle, then exit: what run always does (accepted for older scripts)')
    .option(
      '--nudges-only',
      'no scan and no digest: send the nudges, escalations and thank-yous due ' +
        'now, from the latest stored scan (for an hourly cron next to a daily run)',
    )
    .option('--config <file>', 'config file (YAML); default $MFA_BOT_CONFIG')
    .option(
      '--dry-run',
      'send nothing and record nothing: print the digest and every ' +
        'message exactly as they would be sent, with their recipients',
    )
    .addOption(
      new Option('--format <format>', 'dry-run output: readable text, or Block Kit JSON')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--profile <name>', 'AWS shared-config profile to use')
    .option('--region <region>', 'AWS region for the API endpoints')
    .option(
      '--credential-report <file>',
      'with --dry-run: preview the digest and the DMs for a credential report CSV downloaded from the IAM ' +
        'console, with no AWS access',
    )
    .action(async (flags: RunFlags) => {
      if (flags.credentialReport) refuseOfflineRun(flags);
      const configPath = configPathFor(flags.config, io);
      const config = loadConfig(configPath);
      const slackSettings = slackSettingsFromEnv(io.env);
      const slack = slackSettings ? createSlackApi(slackSettings, { log: (l) => io.stderr(`${l}\n`) }) : undefined;
      // Every setting is checked before anything is created: a run that cannot send leaves no state file behind.
      if (flags.dryRun) {
        if (!slack)
          io.stderr(
            'mfa-bot: SLACK_BOT_TOKEN is not set: e-mail mappings cannot be checked against Slack in this preview\n',
          );
      } else {
        if (!slack)
          throw new DeliveryError(
            'SLACK_BOT_TOKEN is not set: put it in the environment or .env, or use --dry-run to preview',
          );
        if (!flags.nudgesOnly) requireDigestChannel(config, configPath);
      }
      if (flags.credentialReport) {
        setExit(await previewReport(flags.credentialReport, flags, { config, io, ...(slack ? { slack } : {}) }));
        return;
      }
      let store;
      try {
        // A preview reads the state and writes nothing: a throwaway copy of a SQLite file, a table read-only.
        store = openStateStore(config, { mode: flags.dryRun ? 'snapshot' : 'write', now: io.now() });
      } catch (err) {
        if (!(err instanceof StateStoreError)) throw err;
        io.stderr(`mfa-bot: ${err.message}\n`);
        setExit(EXIT.state);
        return;
      }
      if (flags.nudgesOnly) {
        setExit(await nudgesOnly(flags, { config, store, io, ...(slack ? { slack } : {}) }));
        return;
      }
      let result: CycleResult;
      try {
        result = await runCycle(
          {
            aws: await openAwsClients({ profile: flags.profile, region: flags.region }),
            ...(slack ? { slack } : {}),
            config,
            store,
            now: io.now,
            ...(io.stderrIsTty
              ? {
                  onMessage: (_o, done, total) => io.stderr(`\rMessages ${done}/${total}${done === total ? '\n' : ''}`),
                }
              : {}),
          },
          { dryRun: Boolean(flags.dryRun) },
        );
      } finally {
        await store.close();
      }
      reportAccountErrors(result.scan, io);
      for (const t of result.tagErrors)
        io.stderr(`mfa-bot: could not read the tags of ${t.userName} in ${t.accountId}: ${t.code}\n`);
      // Like `scan`: 1 when a finding fails, 3 when nothing fails but an account could not be read; a failed
      // delivery (4) wins, since then the people were not told.
      if (flags.dryRun) io.stdout(flags.format === 'json' ? renderPlanJson(result.plan) : renderPlanText(result.plan));
      const delivery = flags.dryRun ? EXIT.ok : summarise(result, io);
      setExit(delivery === EXIT.delivery ? delivery : exitCodeFor(result.scan));
    });
}
