import type { Config } from '../config/schema.js';
import type { IdentityMap } from '../domain/identity.js';
import type { WaitingAction } from '../domain/nudge-plan.js';
import type { ScanResult } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import { deliver, type DeliverOptions, type DeliveryOutcome, type MessageOutcome } from './deliver.js';
import { SlackHistoryProbe, type DeliveryProbe } from './delivery-probe.js';
import type { ScanRef, StateStore } from '../store/store.js';
import { planMessages, type DeliveryPlan, type PlannedMessage } from './plan-delivery.js';
import { prepareNudges } from './prepare-nudges.js';
import { recoverStaleClaims, type RecoveredClaim } from './recover-claims.js';

/** The caller's progress callback and stop signal, for deliver(). */
export function deliverOptions(deps: {
  onMessage?: DeliverOptions['onMessage'];
  signal?: AbortSignal;
}): DeliverOptions {
  return { ...(deps.onMessage ? { onMessage: deps.onMessage } : {}), ...(deps.signal ? { signal: deps.signal } : {}) };
}

export interface NudgeWork {
  messages: PlannedMessage[];
  waiting: WaitingAction[];
  recovered: RecoveredClaim[];
}

/**
 * The nudge half of every run, the same for `run --once` and the scheduler: settle stale claims (not in a
 * dry run, which must not ask Slack or write), update the ledger from the scan (in memory only, in a dry
 * run), and build what is due.
 */
export async function nudgeWork(
  deps: { store: StateStore; config: Config; now: () => Date; probe?: DeliveryProbe; claimLeaseMs?: number },
  input: { scan: ScanResult; identities: IdentityMap; dryRun: boolean },
): Promise<NudgeWork> {
  const recovered = input.dryRun ? [] : await recoverStaleClaims(deps.store, deps.probe, deps.now(), deps.claimLeaseMs);
  const now = deps.now();
  const plan = await prepareNudges(deps.store, deps.config, {
    scan: input.scan,
    identities: input.identities,
    now,
    dryRun: input.dryRun,
  });
  return { messages: planMessages(plan, now), waiting: plan.waiting, recovered };
}

export interface NudgePassDeps {
  store: StateStore;
  slack?: SlackApi;
  config: Config;
  now: () => Date;
  /** Defaults to reading Slack history through `slack`. */
  probe?: DeliveryProbe;
  claimLeaseMs?: number;
  onMessage?: (outcome: MessageOutcome, done: number, total: number) => void;
  /** Aborted (serve's SIGTERM): no new send starts; what was not sent stays unclaimed. */
  signal?: AbortSignal;
}

export interface NudgePassResult {
  /** Why nothing was planned: no scan stored yet. */
  skipped?: string;
  scan?: ScanRef;
  plan?: DeliveryPlan;
  outcome?: DeliveryOutcome;
  recovered: RecoveredClaim[];
}

/** Between scans: nudges, escalations and thank-yous from the latest stored scan. Posts no digest. */
export async function runNudgePass(deps: NudgePassDeps, options: { dryRun?: boolean } = {}): Promise<NudgePassResult> {
  const latest = await deps.store.latestScan();
  if (!latest) return { skipped: 'no scan is stored yet: nudges start after the first scan', recovered: [] };
  const dryRun = Boolean(options.dryRun) || !deps.slack;
  const probe = deps.probe ?? (deps.slack ? new SlackHistoryProbe(deps.slack) : undefined);
  const work = await nudgeWork(
    {
      store: deps.store,
      config: deps.config,
      now: deps.now,
      ...(probe ? { probe } : {}),
      ...(deps.claimLeaseMs !== undefined ? { claimLeaseMs: deps.claimLeaseMs } : {}),
    },
    { scan: latest.scan, identities: await deps.store.identitiesAt(latest.id), dryRun },
  );
  const plan: DeliveryPlan = {
    messages: work.messages,
    waiting: work.waiting,
    unmapped: [],
    nudgesEnabled: deps.config.nudges.enabled,
  };
  const ref = { id: latest.id, scannedAt: latest.scannedAt, fingerprint: latest.fingerprint };
  if (dryRun || !deps.slack) return { scan: ref, plan, recovered: work.recovered };
  const outcome = await deliver(plan, { slack: deps.slack, store: deps.store, now: deps.now }, deliverOptions(deps));
  return { scan: ref, plan, outcome, recovered: work.recovered };
}
