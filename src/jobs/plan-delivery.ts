import type { KnownBlock } from '@slack/types';
import { identityKey } from '../domain/identity.js';
import type { AccountResult, ScanResult, Verdict } from '../domain/types.js';
import type { Config } from '../config/schema.js';
import { buildDigest } from '../slack/blocks/digest.js';
import { buildNudge } from '../slack/blocks/nudge.js';
import type { IdentityResolution } from '../slack/identity.js';

export type { NudgeKind } from '../slack/blocks/nudge.js';
import type { NudgeKind } from '../slack/blocks/nudge.js';

export interface PlannedDm {
  recipient: string;
  accountId: string;
  userName: string;
  kind: NudgeKind;
  verdict: Verdict;
  text: string;
  blocks: KnownBlock[];
}

export interface PlannedDigest {
  channel?: string;
  text: string;
  blocks: KnownBlock[];
  overflow?: { filename: string; content: string; title: string };
}

export interface DeliveryPlan {
  digest: PlannedDigest;
  dms: PlannedDm[];
  unmapped: IdentityResolution['unmapped'];
  nudgesEnabled: boolean;
}

/** The console users someone has to be told about: failing, or in their grace period. */
export function nudgeTargets(scan: ScanResult): Array<{ account: AccountResult; verdict: Verdict }> {
  return scan.accounts.flatMap((account) =>
    account.verdicts.filter((v) => v.check === 'user-console-mfa' && (v.status === 'fail' || v.status === 'grace')).map((verdict) => ({ account, verdict })),
  );
}

/** What one cycle would send, built without touching Slack: the digest and one DM per mapped person. */
export function planDelivery(scan: ScanResult, resolution: IdentityResolution, config: Config, now: Date): DeliveryPlan {
  const digest = buildDigest({ scan, identities: resolution.identities, now });
  const dms: PlannedDm[] = [];
  for (const { account, verdict } of nudgeTargets(scan)) {
    const identity = resolution.identities.get(identityKey(account.accountId, verdict.principal));
    if (!identity) continue;
    const kind: NudgeKind = verdict.status === 'grace' ? 'grace' : 'first';
    const message = buildNudge({
      verdict,
      account: { accountId: account.accountId, partition: account.partition, ...(account.alias ? { alias: account.alias } : {}) },
      slackUserId: identity.slackUserId,
      kind,
      now,
    });
    dms.push({ recipient: identity.slackUserId, accountId: account.accountId, userName: verdict.principal, kind, verdict, ...message });
  }
  return {
    digest: { ...(config.slack.digestChannel ? { channel: config.slack.digestChannel } : {}), ...digest },
    dms,
    unmapped: resolution.unmapped,
    nudgesEnabled: config.nudges.enabled,
  };
}
