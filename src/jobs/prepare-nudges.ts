import type { Config } from '../config/schema.js';
import type { IdentityMap } from '../domain/identity.js';
import { reconcileCases } from '../domain/nudge-cases.js';
import { planNudges, type NudgePlan } from '../domain/nudge-plan.js';
import type { ScanResult } from '../domain/types.js';
import type { StateStore } from '../store/store.js';
import { escalationChannelOf, nudgeSettingsOf } from './nudge-settings.js';

/**
 * Brings the ledger up to date with a scan (cases opened for new failures, resolved for fixes) and plans
 * what is due. The scan is the latest one: just made by a cycle, or loaded by a nudge pass.
 */
export async function prepareNudges(store: StateStore, config: Config, input: { scan: ScanResult; identities: IdentityMap; now: Date }): Promise<NudgePlan> {
  const changes = reconcileCases(input.scan, await store.cases({ latestOnly: true }), input.now);
  await store.applyCaseChanges(changes);
  return planStoredCases(store, config, input);
}

/** What is due for the stored cases (of one user, with `only`), judged by `scan`; the ledger is not touched. */
export async function planStoredCases(
  store: StateStore,
  config: Config,
  input: { scan: ScanResult; identities: IdentityMap; now: Date; only?: { accountId: string; userName: string } },
): Promise<NudgePlan> {
  const escalationChannel = escalationChannelOf(config);
  return planNudges({
    now: input.now,
    settings: nudgeSettingsOf(config),
    scan: input.scan,
    cases: await store.cases({ ...input.only, latestOnly: true }),
    identities: input.identities,
    timeZones: await store.timeZones(),
    ...(escalationChannel ? { escalationChannel } : {}),
  });
}
