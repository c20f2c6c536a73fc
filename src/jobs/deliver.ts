import { randomUUID } from 'node:crypto';
import type { DeliveryPlan, PlannedDigest, PlannedMessage } from './plan-delivery.js';
import type { DeliveryKey, StateStore } from '../store/store.js';
import { mapLimit } from '../util/map-limit.js';
import type { SlackApi } from '../slack/api.js';
import { slackErrorCode } from '../slack/errors.js';
import { deliveryMetadata, refusedBySlack } from '../slack/send-outcome.js';

export interface MessageOutcome {
  message: PlannedMessage;
  /** skipped: another run claimed or sent this step first. */
  status: 'sent' | 'failed' | 'skipped';
  ts?: string;
  channel?: string;
  error?: string;
}

/** The shape `run` reports DMs in. */
export interface DmOutcome {
  recipient: string;
  accountId: string;
  userName: string;
  ok: boolean;
  ts?: string;
  channel?: string;
  error?: string;
}

export interface DigestOutcome {
  ok: boolean;
  /** already-posted: this scan's digest went to this channel before; no-channel: slack.digestChannel is unset. */
  skipped?: 'already-posted' | 'no-channel';
  ts?: string;
  error?: string;
  fileError?: string;
}

export interface DeliveryOutcome {
  digest?: DigestOutcome;
  /** slack.routes, one per routed channel. */
  routedDigests?: Array<DigestOutcome & { channel: string }>;
  messages: MessageOutcome[];
}

export interface DeliverDeps {
  slack: SlackApi;
  store: StateStore;
  now: () => Date;
}

export interface DeliverOptions {
  /** Messages in flight at once; each DM is its own channel, so Slack's per-channel limit does not bind. */
  concurrency?: number;
  onMessage?: (outcome: MessageOutcome, done: number, total: number) => void;
}

type Sent = { ok: true; channel?: string; ts?: string } | { ok: false; error: string; refused: boolean };

/**
 * Exactly once: the intent is claimed in the store before Slack is called, and the ts recorded after.
 * Whoever loses the claim (a second run, a racing process) sends nothing. If Slack refuses, the claim is
 * released for a later run; if the outcome is unknown (timeout, crash), the claim stays until the
 * recovery in recover-claims.ts finds out from Slack.
 */
async function once(
  deps: DeliverDeps,
  key: DeliveryKey,
  kind: PlannedMessage['kind'] | 'digest',
  recipient: string,
  send: (claimId: string) => Promise<{ channel?: string; ts?: string }>,
  // chat.update is idempotent: repeating it cannot double anything, so an unknown outcome is simply retried.
  idempotent = false,
): Promise<Sent | { skipped: true; ts?: string }> {
  const claimId = randomUUID();
  const claim = await deps.store.claim({ key, kind, recipient, claimId, at: deps.now() });
  if (!claim.claimed) return { skipped: true, ...(claim.existing.ts ? { ts: claim.existing.ts } : {}) };
  let posted: { channel?: string; ts?: string };
  try {
    posted = await send(claimId);
  } catch (err) {
    const error = slackErrorCode(err);
    const refused = refusedBySlack(err);
    if (refused || idempotent) await deps.store.markFailed(claimId, error, { retryable: true });
    return { ok: false, error: refused || idempotent ? error : `${error} (outcome unknown: checked with Slack on a later run)`, refused };
  }
  await deps.store.markSent(claimId, { at: deps.now(), ...(posted.channel ? { channel: posted.channel } : {}), ...(posted.ts ? { ts: posted.ts } : {}) });
  return { ok: true, ...posted };
}

async function deliverDigest(digest: PlannedDigest, deps: DeliverDeps): Promise<DigestOutcome> {
  if (!digest.channel || !digest.key) return { ok: false, skipped: 'no-channel', error: 'no slack.digestChannel configured' };
  const channel = digest.channel;
  const result = await once(deps, digest.key, 'digest', channel, async (claimId) => {
    const posted = await deps.slack.postMessage({ channel, text: digest.text, blocks: digest.blocks, metadata: deliveryMetadata(claimId), unfurl_links: false, unfurl_media: false });
    return { ...(posted.ts ? { ts: posted.ts } : {}), ...(posted.channel ? { channel: posted.channel } : {}) };
  });
  if ('skipped' in result) return { ok: true, skipped: 'already-posted', ...(result.ts ? { ts: result.ts } : {}) };
  if (!result.ok) return { ok: false, error: result.error };
  const outcome: DigestOutcome = { ok: true, ...(result.ts ? { ts: result.ts } : {}) };
  if (digest.overflow) {
    try {
      const file = { file: Buffer.from(digest.overflow.content, 'utf8'), filename: digest.overflow.filename, title: digest.overflow.title };
      // In the digest's thread, so the channel shows one message and its attachment.
      await deps.slack.uploadFile(result.ts ? { ...file, channel_id: channel, thread_ts: result.ts } : { ...file, channel_id: channel });
    } catch (err) {
      outcome.fileError = slackErrorCode(err);
    }
  }
  return outcome;
}

async function deliverMessage(m: PlannedMessage, deps: DeliverDeps): Promise<MessageOutcome> {
  const update = m.update;
  const result = update
    ? await once(
        deps,
        m.key,
        m.kind,
        m.to,
        async () => {
          const r = await deps.slack.update({ channel: m.to, ts: update.ts, text: m.text, blocks: m.blocks });
          return { ...(r.channel ? { channel: r.channel } : {}), ...(r.ts ? { ts: r.ts } : {}) };
        },
        true,
      )
    : await once(deps, m.key, m.kind, m.to, async (claimId) => {
        // A user ID as the channel posts in the app's DM with that person.
        const r = await deps.slack.postMessage({ channel: m.to, text: m.text, blocks: m.blocks, metadata: deliveryMetadata(claimId), unfurl_links: false, unfurl_media: false });
        return { ...(r.channel ? { channel: r.channel } : {}), ...(r.ts ? { ts: r.ts } : {}) };
      });
  if ('skipped' in result) return { message: m, status: 'skipped' };
  if (!result.ok) return { message: m, status: 'failed', error: result.error };
  return { message: m, status: 'sent', ...(result.ts ? { ts: result.ts } : {}), ...(result.channel ? { channel: result.channel } : {}) };
}

/**
 * Posts the digest (with the full list as a CSV when it did not fit) unless this scan's digest was already
 * posted, then the nudges, escalations, thank-yous and updates that are due (when nudges are on). One
 * failure never stops the rest.
 */
export async function deliver(plan: DeliveryPlan, deps: DeliverDeps, options: DeliverOptions = {}): Promise<DeliveryOutcome> {
  const digest = plan.digest ? await deliverDigest(plan.digest, deps) : undefined;
  const routedDigests = [];
  for (const routed of plan.routedDigests ?? []) routedDigests.push({ ...(await deliverDigest(routed, deps)), channel: routed.channel ?? '' });
  const messages = plan.nudgesEnabled ? plan.messages : [];
  let done = 0;
  const outcomes = await mapLimit(messages, options.concurrency ?? 8, async (m) => {
    const outcome = await deliverMessage(m, deps);
    options.onMessage?.(outcome, ++done, messages.length);
    return outcome;
  });
  return { ...(digest ? { digest } : {}), ...(routedDigests.length ? { routedDigests } : {}), messages: outcomes };
}

export function dmOutcome(o: MessageOutcome): DmOutcome {
  return {
    recipient: o.message.to,
    accountId: o.message.accountId,
    userName: o.message.userName,
    ok: o.status !== 'failed',
    ...(o.ts ? { ts: o.ts } : {}),
    ...(o.channel ? { channel: o.channel } : {}),
    ...(o.error ? { error: o.error } : {}),
  };
}
