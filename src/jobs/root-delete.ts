import { randomUUID } from 'node:crypto';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { callerAccount, fetchRootSummary } from '../aws/account-snapshot.js';
import type { AwsClients, AwsOptions } from '../aws/clients.js';
import { describeAwsError } from '../aws/errors.js';
import { createEventsClient, publishRootCredentialsDeleted } from '../aws/findings-events.js';
import { assumeAccountClients } from '../aws/organization.js';
import { ManagementAccountRefused } from '../aws/root-credentials.js';
import { readRootAccess } from '../aws/root-features.js';
import { deleteRootCredentials } from '../aws/root-tasks.js';
import type { Config } from '../config/schema.js';
import type { RootDeletionOutcome } from '../domain/root-access.js';
import { rootDeletionKey, rootDeletionRecords } from '../store/root-deletion-key.js';
import type { DeliveryRecord, StateStore } from '../store/store.js';
import { CLAIM_LEASE_MS } from './recover-claims.js';
import { scanAccount } from './scan.js';

export type { RootDeletionOutcome } from '../domain/root-access.js';

export interface RootDeletionDeps {
  /** Clients of the management account (or IAM's delegated administrator), where mfa-bot runs. */
  aws: AwsClients;
  org: OrganizationsClient;
  config: Config;
  awsOptions?: AwsOptions;
  now?: () => Date;
  /** The ledger: each deletion is a claimed step, recorded with who approved it. */
  store: StateStore;
  /** For events.busName: "MFA Root Credentials Deleted" once the deletion is recorded. */
  events?: EventBridgeClient;
}

/**
 * Deletes a member account's root credentials, as `approver` (a Slack user the caller checked with
 * approversFromConfig) decided: only with root credentials management on, never in the management account; then
 * scans the account again through its audit role. AWS failures come back as a refusal that says what went wrong.
 */
export async function deleteMemberRootCredentials(
  deps: RootDeletionDeps,
  accountId: string,
  approver: string,
): Promise<RootDeletionOutcome> {
  const refused = (reason: string): RootDeletionOutcome => ({ kind: 'refused', accountId, approver, reason });
  const organization = deps.config.organization;
  if (!organization)
    return refused('root credentials are deleted from the management account: add an `organization` section');
  const access = await readRootAccess(deps.aws.iam, deps.org);
  if (access.error) {
    const { code, message, hint } = access.error;
    return refused(`cannot read centralized root access: ${code}: ${message}${hint ? ` (${hint})` : ''}`);
  }
  if (!access.credentialsManagement)
    return refused(
      'root credentials management is off in this organization: turn it on in the management account ' +
        '(IAM → Root access management), or secure this root user by hand',
    );
  // Before any claim, so the management account never gets a deletion record.
  if (accountId === access.managementAccountId) return refused(new ManagementAccountRefused(accountId).message);
  const now = () => (deps.now ? deps.now() : new Date());
  try {
    const caller = await callerAccount(deps.aws.sts);
    // The audit role first: it settles a claim a crashed press left, and scans the account again afterwards.
    const audit = await assumeAccountClients(
      deps.aws,
      accountId,
      { roleName: organization.roleName, externalId: organization.externalId, partition: caller.partition },
      deps.awsOptions,
    );
    const claim = await claimDeletion(deps.store, accountId, approver, now, async () => {
      const s = await fetchRootSummary(audit.iam);
      return !(s.passwordPresent || s.accessKeysPresent || s.signingCertificatesPresent);
    });
    if ('outcome' in claim) return claim.outcome;
    const member = { accountId, partition: caller.partition, managementAccountId: access.managementAccountId ?? '' };
    let deleted: Awaited<ReturnType<typeof deleteRootCredentials>>;
    try {
      deleted = await deleteRootCredentials(deps.aws, member, deps.awsOptions);
    } catch (err) {
      const { code, message } = describeAwsError(err);
      await deps.store.markFailed(claim.claimId, `${code}: ${message}`, { retryable: true });
      throw err;
    }
    const at = now();
    await deps.store.markSent(claim.claimId, { at });
    const busName = deps.config.events?.busName;
    if (busName) {
      const events = deps.events ?? createEventsClient(deps.awsOptions);
      const deletion = { accountId, deleted, decidedBy: approver, at };
      await publishRootCredentialsDeleted(events, busName, deletion).catch(() => undefined);
    }
    const account = await scanAccount(audit, deps.config, { ...(deps.now ? { now: deps.now } : {}) });
    return { kind: 'deleted', accountId, approver, deleted, account };
  } catch (err) {
    if (err instanceof ManagementAccountRefused) return refused(err.message);
    const { code, message, hint } = describeAwsError(err);
    return refused(`${code}: ${message}${hint ? ` (${hint})` : ''}`);
  }
}

type Claimed = { claimId: string } | { outcome: RootDeletionOutcome };

const isDone = (r: DeliveryRecord) => r.state === 'sent' || r.state === 'unconfirmed';

/**
 * Claims the account's deletion in the ledger, so one press deletes and every other one is told who did. Each
 * deletion is a generation (rootDeletionKey): once one is recorded as done, the next press is told about it, unless
 * GetAccountSummary (through the audit role) shows the root has credentials again; then it claims the next
 * generation, which two presses race for like the first. A claim without an outcome (a press still at it, or one
 * that crashed between the deletion and its record) is settled the same way: no credentials left → recorded as done
 * by whoever claimed it; credentials left and the claim older than the lease → released and claimed again.
 */
async function claimDeletion(
  store: StateStore,
  accountId: string,
  approver: string,
  now: () => Date,
  credentialsGone: () => Promise<boolean>,
): Promise<Claimed> {
  const already = (e: DeliveryRecord, inProgress: boolean): Claimed => ({
    outcome: { kind: 'already', accountId, approver, by: e.by ?? 'unknown', at: e.sentAt ?? e.claimedAt, inProgress },
  });
  const latest = async () => (await rootDeletionRecords(store, accountId)).at(-1);
  for (let round = 0; round < 3; round++) {
    const last = await latest();
    let generation = last?.generation ?? 1;
    if (last && isDone(last.record)) {
      if (await credentialsGone()) {
        // Another press may have recorded a newer deletion since `last` was read: name the latest.
        const newest = (await latest()) ?? last;
        return already(newest.record, !isDone(newest.record));
      }
      generation = last.generation + 1;
    }
    const key = rootDeletionKey(accountId, generation);
    const claimId = randomUUID();
    const at = now();
    const claim = await store.claim({
      key,
      kind: 'root-credentials-deleted',
      recipient: key.channel,
      claimId,
      at,
      by: approver,
    });
    if (claim.claimed) return { claimId };
    const existing = claim.existing;
    if (existing.state === 'abandoned')
      return {
        outcome: {
          kind: 'refused',
          accountId,
          approver,
          reason: `gave up after ${existing.attempts} failed attempts (last: ${existing.error ?? 'unknown'})`,
        },
      };
    if (existing.state !== 'claimed') return already(existing, false);
    if (await credentialsGone()) {
      const settledAt = now();
      await store.markSent(existing.claimId, { at: settledAt });
      return already({ ...existing, sentAt: (await store.delivery(key))?.sentAt ?? settledAt }, false);
    }
    if (at.getTime() - existing.claimedAt.getTime() < CLAIM_LEASE_MS) return already(existing, true);
    await store.markFailed(existing.claimId, 'interrupted before the deletion: tried again', { retryable: true });
  }
  return { outcome: { kind: 'refused', accountId, approver, reason: 'other presses kept claiming it: try again' } };
}
