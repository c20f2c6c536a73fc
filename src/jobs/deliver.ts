import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { PlannedChart } from './digest-chart.js';
import type { DeliveryPlan, PlannedDigest, PlannedMessage } from './plan-delivery.js';
import type { DeliveryKey, DeliveryRecord, StateStore } from '../store/store.js';
import { mapLimit } from '../util/map-limit.js';
import type { SendOptions, SlackApi } from '../slack/api.js';
import { slackErrorCode } from '../slack/errors.js';
import { GateAborted } from '../slack/rate-limit.js';
import { deliveryMetadata, refusedBySlack } from '../slack/send-outcome.js';

export interface MessageOutcome {
  message: PlannedMessage;
  /**
   * skipped: another run claimed or sent this step first; not-sent: the run stopped before its turn (see
   * DeliveryOutcome.stopped).
   */
  status: 'sent' | 'failed' | 'skipped' | 'not-sent';
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
  /**
   * The coverage chart in the digest's thread (digest.chart): attached, or why not. Absent when this digest
   * carries none (off, or already attached this week).
   */
  chart?: { ok: true } | { ok: false; error: string };
}

export interface DeliveryOutcome {
  digest?: DigestOutcome;
  /** slack.routes, one per routed channel. */
  routedDigests?: Array<DigestOutcome & { channel: string }>;
  messages: MessageOutcome[];
  /** Why the remaining sends were not tried (a revoked token, a shutdown); their messages are `not-sent`, unclaimed. */
  stopped?: string;
}

export interface DeliverDeps {
  slack: SlackApi;
  store: StateStore;
  now: () => Date;
}

export interface DeliverOptions {
  /**
   * Messages handed to the rate gate at once (default: all of them); the gate itself keeps at most a few HTTP
   * requests in flight.
   */
  concurrency?: number;
  onMessage?: (outcome: MessageOutcome, done: number, total: number) => void;
  /** Aborted: no new send starts, waits end, and what was not sent stays unclaimed for the next run. */
  signal?: AbortSignal;
}

/** Slack refuses the token itself: every further call would fail the same way. */
const TOKEN_REFUSED = new Set(['not_authed', 'invalid_auth', 'token_revoked', 'account_inactive', 'token_expired']);

type Sent = { ok: true; channel?: string; ts?: string } | { ok: false; error: string; refused: boolean };
type Once = Sent | { skipped: true; ts?: string } | { notSent: string };

class ClaimLost extends Error {
  constructor(readonly existing: DeliveryRecord) {
    super('claimed by another run');
  }
}

/** The shared state of one deliver() call: stops the remaining sends when the token is refused or the caller aborts. */
class Run {
  private readonly controller = new AbortController();
  stopped?: string;

  private readonly onOuterAbort = () => this.stop('stopping: not sent, left for the next run');

  constructor(
    readonly deps: DeliverDeps,
    private readonly outer?: AbortSignal,
  ) {
    // Every message waiting on the gate listens to this one signal.
    setMaxListeners(0, this.controller.signal);
    if (outer?.aborted) this.onOuterAbort();
    outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  /** serve's signal lives as long as the process: each run stops listening to it when it ends. */
  dispose(): void {
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Between the gate's go and the request: a stop that came meanwhile still counts. */
  checkNotStopped(): void {
    if (this.stopped) throw new GateAborted(this.stopped);
  }

  stop(reason: string): void {
    this.stopped ??= reason;
    this.controller.abort();
  }
}

/**
 * Exactly once: the intent is claimed in the store when the rate gate lets the message go (not while it
 * waits for its turn; a 429 releases it while it waits again), and the ts recorded after. A claim is
 * therefore held only while one request is on the wire. Whoever loses the claim (a second run, a racing process)
 * sends nothing. Each claimed message is attempted once: if Slack refuses it, the claim is released for a
 * later run; if the outcome is unknown (a timeout, a dropped connection, a 5xx: Slack may have posted it),
 * the claim stays, and the recovery in recover-claims.ts asks Slack once the lease has passed.
 */
async function once(
  run: Run,
  key: DeliveryKey,
  kind: PlannedMessage['kind'] | 'digest',
  recipient: string,
  send: (claimId: string, options: SendOptions) => Promise<{ channel?: string; ts?: string }>,
  // chat.update is idempotent: repeating it cannot double anything, so an unknown outcome is simply retried.
  idempotent = false,
): Promise<Once> {
  const { deps } = run;
  if (run.stopped) return { notSent: run.stopped };
  const claimId = randomUUID();
  let claimed = false;
  let storeFailure: unknown;
  const beforeSend = async () => {
    run.checkNotStopped();
    if (claimed) return;
    const claim = await deps.store.claim({ key, kind, recipient, claimId, at: deps.now() }).catch((err: unknown) => {
      storeFailure = err;
      throw err;
    });
    if (!claim.claimed) throw new ClaimLost(claim.existing);
    claimed = true;
    run.checkNotStopped();
  };
  // A 429 is Slack's word that nothing was posted: the message waits out Retry-After unclaimed, like any queued one.
  const onRateLimited = async () => {
    if (claimed && (await deps.store.releaseClaim(claimId, 'refused with 429: waiting to send again'))) claimed = false;
  };
  let posted: { channel?: string; ts?: string };
  try {
    posted = await send(claimId, { beforeSend, onRateLimited, signal: run.signal });
  } catch (err) {
    // The state cannot be written: nothing was sent, and nothing else may be.
    if (storeFailure !== undefined) throw storeFailure;
    if (err instanceof ClaimLost) return { skipped: true, ...(err.existing.ts ? { ts: err.existing.ts } : {}) };
    if (err instanceof GateAborted) {
      if (claimed) await deps.store.releaseClaim(claimId, 'stopped while waiting for Slack: not sent');
      return { notSent: run.stopped ?? err.message };
    }
    const error = slackErrorCode(err);
    const refused = refusedBySlack(err);
    if (TOKEN_REFUSED.has(error))
      run.stop(`Slack refused the bot token (${error}): the remaining messages were not tried`);
    if (refused || idempotent) await deps.store.markFailed(claimId, error, { retryable: true });
    return {
      ok: false,
      error:
        refused || idempotent
          ? error
          : `${error} (outcome unknown: not sent again; checked with Slack on a run after the claim lease)`,
      refused,
    };
  }
  await deps.store.markSent(claimId, {
    at: deps.now(),
    ...(posted.channel ? { channel: posted.channel } : {}),
    ...(posted.ts ? { ts: posted.ts } : {}),
  });
  return { ok: true, ...posted };
}

/** A chart drawn before the fan-out (see deliverAll), or why it could not be. */
type DrawnChart = { chart: PlannedChart; png: Buffer } | { chart: PlannedChart; error: string };

async function drawChart(chart: PlannedChart): Promise<DrawnChart> {
  try {
    return { chart, png: await chart.render() };
  } catch (err) {
    return { chart, error: `could not draw the chart: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function deliverDigest(digest: PlannedDigest, run: Run, drawn?: DrawnChart): Promise<DigestOutcome> {
  if (!digest.channel || !digest.key)
    return { ok: false, skipped: 'no-channel', error: 'no slack.digestChannel configured' };
  const { deps } = run;
  const channel = digest.channel;
  const result = await once(run, digest.key, 'digest', channel, async (claimId, options) => {
    const posted = await deps.slack.postMessage(
      {
        channel,
        text: digest.text,
        blocks: digest.blocks,
        metadata: deliveryMetadata(claimId),
        unfurl_links: false,
        unfurl_media: false,
      },
      options,
    );
    return { ...(posted.ts ? { ts: posted.ts } : {}), ...(posted.channel ? { channel: posted.channel } : {}) };
  });
  if ('skipped' in result) return { ok: true, skipped: 'already-posted', ...(result.ts ? { ts: result.ts } : {}) };
  if ('notSent' in result) return { ok: false, error: result.notSent };
  if (!result.ok) return { ok: false, error: result.error };
  const outcome: DigestOutcome = { ok: true, ...(result.ts ? { ts: result.ts } : {}) };
  if (digest.overflow) {
    try {
      const file = {
        file: Buffer.from(digest.overflow.content, 'utf8'),
        filename: digest.overflow.filename,
        title: digest.overflow.title,
      };
      // In the digest's thread, so the channel shows one message and its attachment.
      await deps.slack.uploadFile(
        result.ts ? { ...file, channel_id: channel, thread_ts: result.ts } : { ...file, channel_id: channel },
      );
    } catch (err) {
      outcome.fileError = slackErrorCode(err);
    }
  }
  if (drawn)
    outcome.chart =
      'error' in drawn ? { ok: false, error: drawn.error } : await uploadChart(drawn, channel, result.ts, run);
  return outcome;
}

/** Uploads the chart in the digest's thread. A failure is reported, never thrown: the digest stands. */
async function uploadChart(
  { chart, png }: { chart: PlannedChart; png: Buffer },
  channel: string,
  threadTs: string | undefined,
  run: Run,
): Promise<NonNullable<DigestOutcome['chart']>> {
  const result = await once(run, chart.key, 'digest', channel, async (_claimId, options) => {
    const file = { file: png, filename: chart.filename, title: chart.title, alt_text: chart.altText };
    await run.deps.slack.uploadFile(
      threadTs ? { ...file, channel_id: channel, thread_ts: threadTs } : { ...file, channel_id: channel },
      options,
    );
    return { channel };
  });
  if ('skipped' in result || ('ok' in result && result.ok)) return { ok: true };
  if ('notSent' in result) return { ok: false, error: result.notSent };
  return { ok: false, error: result.error };
}

async function deliverMessage(m: PlannedMessage, run: Run): Promise<MessageOutcome> {
  const { slack } = run.deps;
  const update = m.update;
  const result = update
    ? await once(
        run,
        m.key,
        m.kind,
        m.to,
        async (_claimId, options) => {
          const r = await slack.update({ channel: m.to, ts: update.ts, text: m.text, blocks: m.blocks }, options);
          return { ...(r.channel ? { channel: r.channel } : {}), ...(r.ts ? { ts: r.ts } : {}) };
        },
        true,
      )
    : await once(run, m.key, m.kind, m.to, async (claimId, options) => {
        // A user ID as the channel posts in the app's DM with that person.
        const r = await slack.postMessage(
          {
            channel: m.to,
            text: m.text,
            blocks: m.blocks,
            metadata: deliveryMetadata(claimId),
            unfurl_links: false,
            unfurl_media: false,
          },
          options,
        );
        return { ...(r.channel ? { channel: r.channel } : {}), ...(r.ts ? { ts: r.ts } : {}) };
      });
  if ('skipped' in result) return { message: m, status: 'skipped' };
  if ('notSent' in result) return { message: m, status: 'not-sent', error: result.notSent };
  if (!result.ok) return { message: m, status: 'failed', error: result.error };
  return {
    message: m,
    status: 'sent',
    ...(result.ts ? { ts: result.ts } : {}),
    ...(result.channel ? { channel: result.channel } : {}),
  };
}

/**
 * Posts the digest (with the full list as a CSV when it did not fit) unless this scan's digest was already
 * posted, then the nudges, escalations, thank-yous and updates that are due (when nudges are on). One
 * failure never stops the rest, except a refused token: then nothing else is tried.
 */
export async function deliver(
  plan: DeliveryPlan,
  deps: DeliverDeps,
  options: DeliverOptions = {},
): Promise<DeliveryOutcome> {
  const run = new Run(deps, options.signal);
  try {
    return await deliverAll(plan, run, options);
  } finally {
    run.dispose();
  }
}

async function deliverDigests(plan: DeliveryPlan, run: Run, drawn?: DrawnChart) {
  const digest = plan.digest ? await deliverDigest(plan.digest, run, drawn) : undefined;
  const routedDigests = [];
  for (const routed of plan.routedDigests ?? [])
    routedDigests.push({ ...(await deliverDigest(routed, run)), channel: routed.channel ?? '' });
  return { digest, routedDigests };
}

async function deliverAll(plan: DeliveryPlan, run: Run, options: DeliverOptions): Promise<DeliveryOutcome> {
  // The digests go first in the gate's queue, but the DMs do not wait for them: a digest waiting out a 429 (its
  // channel's, not theirs) would otherwise hold back every DM by its Retry-After.
  // Drawn first, so its second or two of CPU does not hold up the fan-out below.
  const drawn = plan.digest?.chart ? await drawChart(plan.digest.chart) : undefined;
  const digests = deliverDigests(plan, run, drawn);
  // Awaited below; marked handled now so a failure while the DMs run is not an unhandled rejection meanwhile.
  digests.catch(() => {});
  const messages = plan.nudgesEnabled ? plan.messages : [];
  let done = 0;
  // Every DM is its own channel, so all wait on the gate at once: a 429 on one delays only it. With fewer
  // handed over, DMs waiting out a Retry-After would hold back the first tries of the rest; this way the gate's
  // queue takes every first try before the retries that come due behind them.
  const outcomes = await mapLimit(messages, options.concurrency ?? messages.length, async (m) => {
    const outcome = await deliverMessage(m, run);
    options.onMessage?.(outcome, ++done, messages.length);
    return outcome;
  });
  const { digest, routedDigests } = await digests;
  return {
    ...(digest ? { digest } : {}),
    ...(routedDigests.length ? { routedDigests } : {}),
    messages: outcomes,
    ...(run.stopped ? { stopped: run.stopped } : {}),
  };
}

export function dmOutcome(o: MessageOutcome): DmOutcome {
  return {
    recipient: o.message.to,
    accountId: o.message.accountId,
    userName: o.message.userName,
    ok: o.status === 'sent' || o.status === 'skipped',
    ...(o.ts ? { ts: o.ts } : {}),
    ...(o.channel ? { channel: o.channel } : {}),
    ...(o.error ? { error: o.error } : {}),
  };
}
