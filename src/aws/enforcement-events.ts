import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from './findings-events.js';

export const ENFORCEMENT_DETAIL_TYPE = 'MFA Enforcement Changed';

/** The event detail; schema/enforcement-changed.schema.json documents it. */
export interface EnforcementChange {
  change: 'enforced' | 'lifted';
  accountId: string;
  userName: string;
  userArn?: string;
  policyArn: string;
  /** A Slack user ID; `auto` (approval: auto) or `mfa-on` (lifted because MFA is on). */
  decidedBy: string;
  at: Date;
}

export function enforcementDetail(c: EnforcementChange) {
  return {
    version: 1,
    change: c.change,
    accountId: c.accountId,
    userName: c.userName,
    policyArn: c.policyArn,
    decidedBy: c.decidedBy,
    at: c.at.toISOString(),
  };
}

/** One PutEvents call per change (they are rare); an entry EventBridge rejects is reported, not retried. */
export async function publishEnforcementChange(
  events: EventBridgeClient,
  busName: string,
  change: EnforcementChange,
): Promise<{ ok: true } | { ok: false; errorCode: string }> {
  const res = await events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: busName,
          Source: EVENT_SOURCE,
          DetailType: ENFORCEMENT_DETAIL_TYPE,
          Time: change.at,
          Resources: change.userArn ? [change.userArn] : [],
          Detail: JSON.stringify(enforcementDetail(change)),
        },
      ],
    }),
  );
  const entry = res.Entries?.[0];
  return entry && !entry.ErrorCode ? { ok: true } : { ok: false, errorCode: entry?.ErrorCode ?? 'NoResult' };
}
