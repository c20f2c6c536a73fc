import type { IAMClient } from '@aws-sdk/client-iam';
import type { Config } from '../config/schema.js';
import { planEnforcement, type EnforcementPlan, type EnforcementSettings } from '../domain/enforcement/plan.js';
import type { IdentityMap } from '../domain/identity.js';
import type { ScanResult } from '../domain/types.js';
import type { DeliveryRecord, StateStore } from '../store/store.js';
import { settlePolicyClaim } from './enforce.js';
import { escalationChannelOf, nudgeSettingsOf } from './nudge-settings.js';
import type { PreparedNudges } from './prepare-nudges.js';
import type { SettlePolicyClaim } from './recover-claims.js';

export function enforcementSettingsOf(config: Config): EnforcementSettings {
  const nudges = nudgeSettingsOf(config);
  const e = config.enforcement;
  return {
    enabled: e.enabled,
    approval: e.approval,
    afterDays: e.afterDays,
    finalNoticeDays: e.finalNoticeDays,
    never: e.never,
    includeKeyUsers: e.includeKeyUsers,
    maxPerRun: e.maxPerRun,
    workingHours: nudges.workingHours,
    defaultTimeZone: nudges.defaultTimeZone,
  };
}

/**
 * The enforcement stages due now, over the ledger as prepareNudges() left it (in a dry run, which wrote nothing,
 * with this scan's changes applied in memory).
 */
export function prepareEnforcement(
  config: Config,
  input: { scan: ScanResult; identities: IdentityMap; now: Date; selfArns: readonly string[] } & Pick<
    PreparedNudges,
    'cases' | 'timeZones'
  >,
): EnforcementPlan {
  const requestChannel = escalationChannelOf(config);
  return planEnforcement({
    now: input.now,
    settings: enforcementSettingsOf(config),
    scan: input.scan,
    cases: input.cases,
    identities: input.identities,
    timeZones: input.timeZones,
    ...(requestChannel ? { requestChannel } : {}),
    selfArns: input.selfArns,
  });
}

/** Settles stale IAM-step claims through the accounts' IAM clients; the partition comes from the scan. */
export function policyClaimSettler(
  deps: { store: StateStore; config: Config; iamFor: (accountId: string) => Promise<IAMClient | undefined> },
  scan: ScanResult,
): SettlePolicyClaim {
  return async (claim: DeliveryRecord) => {
    const key = claim.key;
    if (key.type !== 'case') return 'unknown';
    const partition = scan.accounts.find((a) => a.accountId === key.case.accountId)?.partition ?? 'aws';
    return settlePolicyClaim(deps, { ...claim, key: key.case, partition });
  };
}
