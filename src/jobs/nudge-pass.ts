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
import { applyPolicyActions, enforcementMessages, policyActions, type PolicyOutcome } from './enforce.js';
import { policyClaimSettler, prepareEnforcement } from './prepare-enforcement.js';
import type { EnforcementPlan } from '../domain/enforcement/plan.js';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
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
  /** The enforcement stages: their messages are in `messages`; the IAM actions are carried out after delivery. */
  enforcement: EnforcementPlan;
}

/** What enforcement needs from a run: the accounts' IAM clients and who mfa-bot runs as (never enforced). */
export interface EnforcementAccess {
  iamFor?: (accountId: string) => Promise<IAMClient | undefined>;
  selfArns?: readonly string[];
  events?: EventBridgeClient;
}

/**
 * The nudge half of every run, the same for `run --once` and the scheduler: settle stale claims (not in a
 * dry run, which must not ask Slack or write), update the ledger from the scan (in memory only, in a dry
 * run), and build what is due.
 */
export async function nudgeWork(
  deps: {
    store: StateStore;
    config: Config;
    now: () => Date;
    probe?: DeliveryProbe;
    claimLeaseMs?: number;
  } & EnforcementAccess,
  input: { scan: ScanResult; identities: IdentityMap; dryRun: boolean },
): Promise<NudgeWork> {
  const iamFor = deps.iamFor;
  const settle = iamFor ? policyClaimSettler({ ...deps, iamFor }, input.scan) : undefined;
  const recovered = input.dryRun
    ? []
    : await recoverStaleClaims(deps.store, deps.probe, deps.now(), deps.claimLeaseMs, settle);
  const now = deps.now();
  const { plan, cases, timeZones } = await prepareNudges(deps.store, deps.config, {
    scan: input.scan,
    identities: input.identities,
    now,
    dryRun: input.dryRun,
  });
  const enforcement = prepareEnforcement(deps.config, {
    scan: input.scan,
    identities: input.identities,
    now,
    selfArns: deps.selfArns ?? [],
    cases,
    timeZones,
  });
  return {
    messages: [...planMessages(plan, now), ...enforcementMessages(enforcement, now)],
    waiting: plan.waiting,
    recovered,
    enforcement,
  };
}

/** After the messages: the IAM half of enforcement (attach with approval auto, detach once MFA is on). */
export async function enforceAfterDelivery(
  deps: { store: StateStore; config: Config; now: () => Date; slack: SlackApi } & EnforcementAccess,
  work: NudgeWork,
): Promise<PolicyOutcome[]> {
  const actions = policyActions(work.enforcement);
  if (actions.length === 0) return [];
  const iamFor = deps.iamFor;
  if (!iamFor)
    return actions.map((a) => ({ status: 'failed', key: a.key, step: a.step, error: 'no AWS clients in this run' }));
  return applyPolicyActions({ ...deps, iamFor, ...(deps.events ? { events: deps.events } : {}) }, actions);
}

export interface NudgePassDeps extends EnforcementAccess {
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
  /** The IAM steps of enforcement carried out (not in a dry run). */
  policy?: PolicyOutcome[];
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
      ...enforcementAccess(deps),
    },
    { scan: latest.scan, identities: await deps.store.identitiesAt(latest.id), dryRun },
  );
  const plan: DeliveryPlan = {
    messages: work.messages,
    waiting: work.waiting,
    unmapped: [],
    nudgesEnabled: deps.config.nudges.enabled,
    enforcement: work.enforcement,
  };
  const ref = { id: latest.id, scannedAt: latest.scannedAt, fingerprint: latest.fingerprint };
  if (dryRun || !deps.slack) return { scan: ref, plan, recovered: work.recovered };
  const outcome = await deliver(plan, { slack: deps.slack, store: deps.store, now: deps.now }, deliverOptions(deps));
  const policy = await enforceAfterDelivery({ ...deps, slack: deps.slack, ...enforcementAccess(deps) }, work);
  return { scan: ref, plan, outcome, recovered: work.recovered, policy };
}

/** The enforcement fields of a run's deps, without the absent ones. */
export function enforcementAccess(deps: EnforcementAccess): EnforcementAccess {
  return {
    ...(deps.iamFor ? { iamFor: deps.iamFor } : {}),
    ...(deps.selfArns ? { selfArns: deps.selfArns } : {}),
    ...(deps.events ? { events: deps.events } : {}),
  };
}
