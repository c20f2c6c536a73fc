import type { SlackApi } from './api.js';
import type { DeliveryPlan, PlannedDm } from '../jobs/plan-delivery.js';
import { mapLimit } from '../util/map-limit.js';
import { slackErrorCode } from './errors.js';

export interface DmOutcome {
  recipient: string;
  accountId: string;
  userName: string;
  ok: boolean;
  ts?: string;
  channel?: string;
  error?: string;
}

export interface DeliveryOutcome {
  digest: { ok: boolean; skipped?: boolean; ts?: string; error?: string; fileError?: string };
  dms: DmOutcome[];
}

export interface DeliverOptions {
  /** DMs in flight at once; each DM is its own channel, so Slack's per-channel limit does not bind. */
  concurrency?: number;
  onDm?: (outcome: DmOutcome, done: number, total: number) => void;
}

/** Posts the digest (with the full list as a CSV when it did not fit) and the DMs; one failure never stops the rest. */
export async function deliver(plan: DeliveryPlan, slack: SlackApi, options: DeliverOptions = {}): Promise<DeliveryOutcome> {
  const digest: DeliveryOutcome['digest'] = { ok: false };
  if (!plan.digest.channel) {
    Object.assign(digest, { skipped: true, error: 'no slack.digestChannel configured' });
  } else {
    try {
      const posted = await slack.postMessage({ channel: plan.digest.channel, text: plan.digest.text, blocks: plan.digest.blocks, unfurl_links: false, unfurl_media: false });
      Object.assign(digest, { ok: true, ts: posted.ts });
      if (plan.digest.overflow) {
        try {
          const file = { file: Buffer.from(plan.digest.overflow.content, 'utf8'), filename: plan.digest.overflow.filename, title: plan.digest.overflow.title };
          // In the digest's thread, so the channel shows one message and its attachment.
          await slack.uploadFile(posted.ts ? { ...file, channel_id: plan.digest.channel, thread_ts: posted.ts } : { ...file, channel_id: plan.digest.channel });
        } catch (err) {
          digest.fileError = slackErrorCode(err);
        }
      }
    } catch (err) {
      digest.error = slackErrorCode(err);
    }
  }

  const dms = plan.nudgesEnabled ? plan.dms : [];
  let done = 0;
  const outcomes = await mapLimit(dms, options.concurrency ?? 8, async (dm: PlannedDm): Promise<DmOutcome> => {
    const base = { recipient: dm.recipient, accountId: dm.accountId, userName: dm.userName };
    let outcome: DmOutcome;
    try {
      // A user ID as the channel posts in the app's DM with that person.
      const posted = await slack.postMessage({ channel: dm.recipient, text: dm.text, blocks: dm.blocks, unfurl_links: false, unfurl_media: false });
      outcome = { ...base, ok: true, ...(posted.ts ? { ts: posted.ts } : {}), ...(posted.channel ? { channel: posted.channel } : {}) };
    } catch (err) {
      outcome = { ...base, ok: false, error: slackErrorCode(err) };
    }
    options.onDm?.(outcome, ++done, dms.length);
    return outcome;
  });
  return { digest, dms: outcomes };
}
