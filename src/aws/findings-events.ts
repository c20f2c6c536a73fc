import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { clientConfig, type AwsOptions } from './clients.js';
import type { FindingChange } from '../domain/finding-change.js';
import type { DeletedRootCredentials } from '../domain/root-access.js';
import { findingRecord } from '../report/findings.js';

export const EVENT_SOURCE = 'mfa-bot';
export const DETAIL_TYPE = 'MFA Compliance Finding Changed';
/** PutEvents takes at most 10 entries a call. */
const BATCH = 10;

/** The event detail; schema/finding-changed.schema.json documents it. */
export function eventDetail(change: FindingChange, scannedAt: Date) {
  return {
    version: 1,
    change: change.change,
    previousStatus: change.previousStatus ?? null,
    scannedAt: scannedAt.toISOString(),
    finding: findingRecord(change.verdict),
  };
}

export interface PublishResult {
  published: number;
  failed: Array<{ change: FindingChange; errorCode: string; errorMessage?: string }>;
  calls: number;
}

/**
 * Publishes each changed verdict to an EventBridge bus, ten to a call; entries EventBridge reports as failed
 * are sent again (up to `attempts` times in all) before they are given up and reported.
 */
export async function publishFindingChanges(
  events: EventBridgeClient,
  busName: string,
  changes: readonly FindingChange[],
  scannedAt: Date,
  options: { attempts?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<PublishResult> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const result: PublishResult = { published: 0, failed: [], calls: 0 };
  const toEntry = (c: FindingChange): PutEventsRequestEntry => ({
    EventBusName: busName,
    Source: EVENT_SOURCE,
    DetailType: DETAIL_TYPE,
    Time: scannedAt,
    Resources: c.verdict.arn ? [c.verdict.arn] : [],
    Detail: JSON.stringify(eventDetail(c, scannedAt)),
  });

  for (let i = 0; i < changes.length; i += BATCH) {
    let pending = changes.slice(i, i + BATCH);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const res = await events.send(new PutEventsCommand({ Entries: pending.map(toEntry) }));
      result.calls++;
      const entries = res.Entries ?? [];
      const retry: FindingChange[] = [];
      pending.forEach((change, j) => {
        const e = entries[j];
        if (e && !e.ErrorCode) result.published++;
        else if (attempt < attempts) retry.push(change);
        else
          result.failed.push({
            change,
            errorCode: e?.ErrorCode ?? 'NoResult',
            ...(e?.ErrorMessage ? { errorMessage: e.ErrorMessage } : {}),
          });
      });
      pending = retry;
      if (pending.length > 0) await sleep(200 * 2 ** (attempt - 1));
    }
  }
  return result;
}

export function createEventsClient(aws: AwsOptions = {}): EventBridgeClient {
  return new EventBridgeClient(clientConfig(aws));
}

/** Enforcement changes (jobs/enforce.ts): the require-MFA policy attached or detached. */
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
export function publishEnforcementChange(
  events: EventBridgeClient,
  busName: string,
  change: EnforcementChange,
): Promise<{ ok: true } | { ok: false; errorCode: string }> {
  return putOneEvent(events, {
    EventBusName: busName,
    Source: EVENT_SOURCE,
    DetailType: ENFORCEMENT_DETAIL_TYPE,
    Time: change.at,
    Resources: change.userArn ? [change.userArn] : [],
    Detail: JSON.stringify(enforcementDetail(change)),
  });
}

async function putOneEvent(
  events: EventBridgeClient,
  entry: PutEventsRequestEntry,
): Promise<{ ok: true } | { ok: false; errorCode: string }> {
  const res = await events.send(new PutEventsCommand({ Entries: [entry] }));
  const result = res.Entries?.[0];
  return result && !result.ErrorCode ? { ok: true } : { ok: false, errorCode: result?.ErrorCode ?? 'NoResult' };
}

/** A member root's credentials deleted through AssumeRoot (jobs/root-delete.ts). */
export const ROOT_DELETION_DETAIL_TYPE = 'MFA Root Credentials Deleted';

/** The event detail; schema/root-credentials-deleted.schema.json documents it. */
export interface RootCredentialsDeletion {
  accountId: string;
  deleted: DeletedRootCredentials;
  /** The Slack user ID of the approver who pressed "Delete root credentials". */
  decidedBy: string;
  at: Date;
}

export function rootDeletionDetail(d: RootCredentialsDeletion) {
  return {
    version: 1,
    change: 'root-credentials-deleted',
    accountId: d.accountId,
    deleted: d.deleted,
    decidedBy: d.decidedBy,
    at: d.at.toISOString(),
  };
}

/** One PutEvents call per deletion, like an enforcement change. */
export function publishRootCredentialsDeleted(
  events: EventBridgeClient,
  busName: string,
  deletion: RootCredentialsDeletion,
): Promise<{ ok: true } | { ok: false; errorCode: string }> {
  return putOneEvent(events, {
    EventBusName: busName,
    Source: EVENT_SOURCE,
    DetailType: ROOT_DELETION_DETAIL_TYPE,
    Time: deletion.at,
    Resources: [],
    Detail: JSON.stringify(rootDeletionDetail(deletion)),
  });
}
