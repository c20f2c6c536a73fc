import type { AwsClients } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import type { SlackApi } from '../slack/api.js';
import type { DeliveryOutcome } from './deliver.js';
import type { StateStore } from '../store/store.js';
import { createEventsClient } from '../aws/findings-events.js';
import { runCycle, selfArnsOf } from './cycle.js';
import { runNudgePass, type EnforcementAccess } from './nudge-pass.js';
import { accountClientsResolver } from './scan-all.js';
import type { DeliveryPlan } from './plan-delivery.js';
import type { RecoveredClaim } from './recover-claims.js';
import type { JobName } from './scheduler.js';
import type { ChartRendering } from './digest-chart.js';

export interface ScheduledJobDeps {
  aws: AwsClients;
  slack: SlackApi;
  config: Config;
  /** Opened once for the life of the process (openStateStore mode 'write'). */
  store: StateStore;
  now?: () => Date;
  log: (line: string) => void;
  /** Aborted when the process is told to stop: a fan-out in progress sends nothing more. */
  signal?: AbortSignal;
  /** The digest chart's renderer; `unavailable` on a Lambda package without it. */
  renderChart?: ChartRendering;
}

function describe(
  plan: DeliveryPlan | undefined,
  outcome: DeliveryOutcome | undefined,
  recovered: RecoveredClaim[],
): string {
  const parts: string[] = [];
  const d = outcome?.digest;
  if (d)
    parts.push(
      d.skipped === 'already-posted'
        ? 'digest not posted again: nothing changed since the last one'
        : d.ok
          ? `digest posted (ts ${d.ts})`
          : `digest NOT posted: ${d.error}`,
    );
  if (d?.chart) parts.push(d.chart.ok ? 'coverage chart attached' : `coverage chart NOT attached: ${d.chart.error}`);
  if (outcome) {
    const by = (s: string) => outcome.messages.filter((m) => m.status === s).length;
    parts.push(`${by('sent')} messages sent, ${by('failed')} failed, ${by('skipped')} already sent by another run`);
    if (outcome.stopped) parts.push(`${by('not-sent')} not sent: ${outcome.stopped}`);
  }
  if (plan && !plan.nudgesEnabled) parts.push('nudges are off');
  if (plan?.waiting.length) parts.push(`${plan.waiting.length} waiting for their time`);
  if (recovered.length) parts.push(`${recovered.length} interrupted sends settled`);
  return parts.join('; ');
}

/** The enforcement stages a guard rail held back, one line each: on Lambda the log is where an operator sees them. */
function logHeld(plan: DeliveryPlan | undefined, log: (line: string) => void): void {
  for (const h of plan?.enforcement?.held ?? [])
    log(`enforcement HELD ${h.stage} for ${h.key.userName} in ${h.key.accountId}: ${h.reason}`);
}

/** A nudge pass's IAM access for enforcement: the bot's own account, and members through the audit role. */
export async function nudgePassAccess(aws: AwsClients, config: Config): Promise<EnforcementAccess> {
  const resolve = accountClientsResolver(aws, config);
  return {
    iamFor: async (accountId) => (await resolve(accountId))?.iam,
    selfArns: config.enforcement.enabled ? await selfArnsOf(aws) : [],
    ...(config.events?.busName ? { events: createEventsClient() } : {}),
  };
}

/** The two jobs the scheduler runs, over one long-lived store: the same code as `mfa-bot run --once`. */
export function scheduledJobs(deps: ScheduledJobDeps): Record<JobName, () => Promise<void>> {
  const now = deps.now ?? (() => new Date());
  const signal = deps.signal ? { signal: deps.signal } : {};
  const chart = deps.renderChart ? { renderChart: deps.renderChart } : {};
  return {
    scan: async () => {
      const r = await runCycle(
        { aws: deps.aws, slack: deps.slack, config: deps.config, store: deps.store, now, ...signal, ...chart },
        { dryRun: false },
      );
      for (const a of r.scan.accounts)
        if (a.error) deps.log(`account ${a.accountId}: ${a.error.code}: ${a.error.message}`);
      for (const f of r.outcome?.messages.filter((m) => m.status === 'failed') ?? [])
        deps.log(
          `${f.message.label} to ${f.message.to} (IAM user ` +
            `${f.message.userName} in ${f.message.accountId}) failed: ${f.error}`,
        );
      for (const p of r.policy?.filter((o) => o.status === 'failed') ?? [])
        deps.log(`enforcement ${p.step} for ${p.key.userName} in ${p.key.accountId} failed: ${p.error}`);
      logHeld(r.plan, deps.log);
      deps.log(`scan ${r.saved.id}: ${describe(r.plan, r.outcome, r.recovered)}`);
      if (r.securityHub)
        deps.log(
          r.securityHub.error
            ? `Security Hub import failed: ${r.securityHub.error}`
            : `Security Hub: ${r.securityHub.imported} imported, ${r.securityHub.failed?.length ?? 0} rejected`,
        );
    },
    nudges: async () => {
      const r = await runNudgePass({
        store: deps.store,
        slack: deps.slack,
        config: deps.config,
        now,
        ...signal,
        ...(await nudgePassAccess(deps.aws, deps.config)),
      });
      for (const p of r.policy?.filter((o) => o.status === 'failed') ?? [])
        deps.log(`enforcement ${p.step} for ${p.key.userName} in ${p.key.accountId} failed: ${p.error}`);
      if (r.skipped) return deps.log(`nudge pass: ${r.skipped}`);
      logHeld(r.plan, deps.log);
      for (const f of r.outcome?.messages.filter((m) => m.status === 'failed') ?? [])
        deps.log(
          `${f.message.label} to ${f.message.to} (IAM user ` +
            `${f.message.userName} in ${f.message.accountId}) failed: ${f.error}`,
        );
      deps.log(`nudge pass over scan ${r.scan?.id}: ${describe(r.plan, r.outcome, r.recovered)}`);
    },
  };
}
