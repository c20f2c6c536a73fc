import type { DeliveryProbe } from './delivery-probe.js';
import { isChartKey } from './digest-chart.js';
import { isRootDeletionKey } from '../store/root-deletion-key.js';
import type { DeliveryRecord, StateStore } from '../store/store.js';

/**
 * How long a claim without an outcome is left to the process that made it. A claim is held only while its
 * one request is on the wire (deliver.ts: claimed when the rate gate lets it go, released on a 429), so
 * the lease must outlast the request timeout (SLACK_API_TIMEOUT_MS, at most MAX_SLACK_TIMEOUT_MS) with room to spare.
 */
export const CLAIM_LEASE_MS = 5 * 60_000;

/** Settles a stale claim of an IAM step (`enforced`, `lifted`): see jobs/enforce.ts settlePolicyClaim(). */
export type SettlePolicyClaim = (claim: DeliveryRecord) => Promise<'found-done' | 'not-done' | 'unknown'>;

export interface RecoveredClaim {
  claim: DeliveryRecord;
  outcome: 'found-sent' | 'not-sent' | 'unknown' | 'retry-update';
  detail?: string;
}

/**
 * Settles claims older than the lease that never got an outcome: the process that made them crashed (or
 * lost its connection) somewhere between recording the intent and recording the ts.
 *
 * "Crashed before sending" and "crashed after Slack accepted it" look the same in the store, so Slack is
 * asked: every message carries its claim ID in its metadata, and the recipient's DM (or the channel) is
 * searched for it. Found: recorded as sent, with its ts. Certainly absent: released, so the next plan
 * sends it. When Slack cannot tell (no history scope, an error), the claim is counted as sent without a
 * ts and never re-sent: a lost reminder only delays the case to its next step, whereas a duplicate DM is
 * exactly the spam this bot must never send. chat.update is idempotent, so an update is simply retried.
 */
export async function recoverStaleClaims(
  store: StateStore,
  probe: DeliveryProbe | undefined,
  now: Date,
  leaseMs = CLAIM_LEASE_MS,
  settlePolicy?: SettlePolicyClaim,
): Promise<RecoveredClaim[]> {
  const stale = await store.staleClaims(new Date(now.getTime() - leaseMs));
  const recovered: RecoveredClaim[] = [];
  for (const claim of stale) {
    if (claim.kind === 'enforced' || claim.kind === 'lifted') {
      // An IAM write, not a message: the user's attached policies say whether it happened. Without IAM access,
      // the claim waits for a run that has it.
      const settled = settlePolicy ? await settlePolicy(claim) : 'unknown';
      if (settled !== 'unknown')
        recovered.push({ claim, outcome: settled === 'found-done' ? 'found-sent' : 'not-sent' });
      continue;
    }
    if (claim.kind === 'resolved-update' || claim.kind === 'enforcement-update') {
      if (await store.markFailed(claim.claimId, 'interrupted update: retried', { retryable: true }))
        recovered.push({ claim, outcome: 'retry-update' });
      continue;
    }
    // Not a message: the next press of "Delete root credentials" settles it by reading the member's account summary
    // (jobs/root-delete.ts), which this run has no reason to assume a role for. Asking Slack would wrongly release it.
    if (isRootDeletionKey(claim.key)) continue;
    // A file carries no claim ID that Slack could be searched for: counted as sent, never uploaded twice.
    if (isChartKey(claim.key)) {
      if (await store.markUnconfirmed(claim.claimId, 'chart upload interrupted: not uploaded again'))
        recovered.push({ claim, outcome: 'unknown', detail: 'a file upload cannot be looked up' });
      continue;
    }
    const result = probe
      ? await probe.find(claim.recipient, claim.claimId, claim.claimedAt)
      : { unknown: 'no Slack client to ask' };
    // Each mark is conditional on the claim still being open, so a racing recovery cannot apply twice.
    if ('found' in result && result.found) {
      if (await store.markSent(claim.claimId, { at: claim.claimedAt, channel: result.channel, ts: result.ts }))
        recovered.push({ claim, outcome: 'found-sent' });
    } else if ('found' in result) {
      if (await store.markFailed(claim.claimId, 'not sent: the run that claimed it stopped first', { retryable: true }))
        recovered.push({ claim, outcome: 'not-sent' });
    } else if (await store.markUnconfirmed(claim.claimId, `outcome unknown (${result.unknown}): not re-sent`)) {
      recovered.push({ claim, outcome: 'unknown', detail: result.unknown });
    }
  }
  return recovered;
}
