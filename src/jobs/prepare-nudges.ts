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

/**
 * Brings the ledger up to date with a scan (cases opened for new failures, resolved for fixes) and plans
 * what is due. The scan is the latest one: just made by a cycle, or loaded by a nudge pass. A dry run
 * plans with the changes applied in memory and writes nothing.
 */
export async function prepareNudges(
  store: StateStore,
  config: Config,
  input: PlanInput & { dryRun?: boolean },
): Promise<NudgePlan> {
  const cases = await store.cases({ latestOnly: true });
  const changes = reconcileCases(input.scan, cases, input.now);
  if (input.dryRun)
    return planCases(config, { ...input, cases: withCaseChanges(cases, changes), timeZones: await store.timeZones() });
  await store.applyCaseChanges(changes);
  return planStoredCases(store, config, input);
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
