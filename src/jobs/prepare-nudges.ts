import type { Config } from '../config/schema.js';
import type { IdentityMap } from '../domain/identity.js';
import type { NudgeCase } from '../domain/ledger.js';
import { reconcileCases, withCaseChanges } from '../domain/nudge-cases.js';
import { planNudges, type NudgePlan } from '../domain/nudge-plan.js';
import type { ScanResult } from '../domain/types.js';
import type { StateStore } from '../store/store.js';
import { escalationChannelOf, nudgeSettingsOf } from './nudge-settings.js';

interface PlanInput {
  scan: ScanResult;
  identities: IdentityMap;
  now: Date;
}

/** A nudge plan, and the ledger it was made over (which enforcement plans over too, rather than read it again). */
export interface PreparedNudges {
  plan: NudgePlan;
  cases: readonly NudgeCase[];
  timeZones: ReadonlyMap<string, string>;
}

/**
 * Brings the ledger up to date with a scan (cases opened for new failures, resolved for fixes) and plans
 * what is due. The scan is the latest one: just made by a cycle, or loaded by a nudge pass. A dry run
 * plans with the changes applied in memory and writes nothing.
 */
export async function prepareNudges(
  store: StateStore,
  config: Config,
  input: PlanInput & { dryRun?: boolean },
): Promise<PreparedNudges> {
  const stored = await store.cases({ latestOnly: true });
  const changes = reconcileCases(input.scan, stored, input.now);
  const timeZones = await store.timeZones();
  let cases: readonly NudgeCase[];
  if (input.dryRun) cases = withCaseChanges(stored, changes);
  else {
    await store.applyCaseChanges(changes);
    cases = await store.cases({ latestOnly: true });
  }
  return { plan: planCases(config, { ...input, cases, timeZones }), cases, timeZones };
}

/** What is due for the stored cases (of one user, with `only`), judged by `scan`; the ledger is not touched. */
export async function planStoredCases(
  store: StateStore,
  config: Config,
  input: PlanInput & { only?: { accountId: string; userName: string } },
): Promise<NudgePlan> {
  return planCases(config, {
    ...input,
    cases: await store.cases({ ...input.only, latestOnly: true }),
    timeZones: await store.timeZones(),
  });
}

function planCases(
  config: Config,
  input: PlanInput & { cases: readonly NudgeCase[]; timeZones: ReadonlyMap<string, string> },
): NudgePlan {
  const escalationChannel = escalationChannelOf(config);
  return planNudges({
    now: input.now,
    settings: nudgeSettingsOf(config),
    scan: input.scan,
    cases: input.cases,
    identities: input.identities,
    timeZones: input.timeZones,
    ...(escalationChannel ? { escalationChannel } : {}),
  });
}
