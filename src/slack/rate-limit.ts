import type { WebClient } from '@slack/web-api';

interface RateLimitedError {
  code?: string;
  retryAfter?: number;
}

export function isRateLimited(err: unknown): boolean {
  return (err as RateLimitedError)?.code === 'slack_webapi_rate_limited_error';
}

function retryAfterMs(err: unknown): number | undefined {
  const e = err as RateLimitedError;
  return e?.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number'
    ? Math.max(0, e.retryAfter) * 1000
    : undefined;
}

/** Methods whose limit (and Retry-After) is per channel as well as per method: every DM is its own channel. */
const PER_CHANNEL = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);

export interface GateOptions {
  /** Longest a single call may spend waiting on 429s before its error is passed on. */
  maxWaitMs?: number;
  /** The window the workspace pace is learned over (Slack's rate windows are a minute long). */
  windowMs?: number;
  /** Fewest successes in the window that a workspace pace may be learned from. */
  minSample?: number;
  /** The workspace pace never goes below this many calls per window (Slack's per-channel rate: one a second). */
  floorPerWindow?: number;
  /** Each window without new evidence of the workspace limit, the spacing shrinks by this factor... */
  recoverFactor?: number;
  /** ...and after this long without any, it is dropped. */
  forgetAfterMs?: number;
  /** HTTP requests of a per-channel method in flight at once (a call waiting out a 429 holds none). */
  maxInFlight?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export interface GateCall {
  /** The channel (or user ID, for a DM) of chat.postMessage / chat.update: its 429s delay only it. */
  channel?: string;
  /** Stops waiting (rate limits, a free slot) and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A method's pace across the workspace, learned only from 429s a single channel cannot explain. */
interface WorkspacePace {
  pausedUntil: number;
  /** Spacing between call starts; 0 = no pacing. */
  intervalMs: number;
  nextSlot: number;
  /** The spacing as of `quietSince`, which relaxes from there. */
  baseIntervalMs: number;
  /** The last evidence of the workspace limit. */
  quietSince: number;
  /** Successful calls in the last window, oldest first. */
  successes: number[];
  /** HTTP requests of the method in flight. */
  slots: Slots;
}

/** At most `limit` holders at once; the others wait in order. */
class Slots {
  private held = 0;
  private queue: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  get idle(): boolean {
    return this.held === 0 && this.queue.length === 0;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new GateAborted('stopped while waiting for Slack');
    if (this.held < this.limit) {
      this.held++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.queue = this.queue.filter((q) => q !== go);
        reject(new GateAborted('stopped while waiting for Slack'));
      };
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        this.held++;
        resolve();
      };
      this.queue.push(go);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    this.held--;
    this.queue.shift()?.();
  }
}

export class GateAborted extends Error {
  override name = 'GateAborted';
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new GateAborted('stopped while waiting for Slack'));
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new GateAborted('stopped while waiting for Slack'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Keeps mfa-bot inside Slack's rate limits without losing a call, and without one 429 slowing what it
 * does not refer to.
 * - A 429 pauses what it refers to for exactly Retry-After, then the refused call is sent again: the method,
 *   or for chat.postMessage / chat.update the method in that one channel (each DM is its own channel).
 * - chat.postMessage also has a workspace-wide cap Slack does not publish. A 429 is taken as that cap only
 *   when a channel is refused again after it waited out its own Retry-After (so its own limit cannot be
 *   the reason). Then the method is paced at the rate that had been succeeding over the last window,
 *   learned from at least `minSample` successes, never slower than `floorPerWindow`, and sped up again
 *   for each window without new evidence, dropped after `forgetAfterMs` without any.
 * The WebClient's own 429 handling adds exponential backoff on top of Retry-After, pauses every method of
 * the client and counts each 429 against its retry budget, which can drop a message (Cloud Custodian's
 * mailer drops it outright); clients created for this gate therefore reject 429s and let the gate decide.
 */
export class RateLimitGate {
  /** Retry-After pauses: by method, or by method and channel. */
  private readonly pauses = new Map<string, number>();
  private readonly paces = new Map<string, WorkspacePace>();
  /** One call per channel at a time, so a channel's retry competes with no sibling for its own limit. */
  private readonly channels = new Map<string, Slots>();
  private readonly maxWaitMs: number;
  private readonly windowMs: number;
  private readonly minSample: number;
  private readonly floorPerWindow: number;
  private readonly recoverFactor: number;
  private readonly forgetAfterMs: number;
  private readonly maxInFlight: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;

  constructor(options: GateOptions = {}) {
    this.maxWaitMs = options.maxWaitMs ?? 15 * 60_000;
    this.windowMs = options.windowMs ?? 60_000;
    this.minSample = options.minSample ?? 20;
    this.floorPerWindow = options.floorPerWindow ?? this.windowMs / 1000;
    this.recoverFactor = options.recoverFactor ?? 0.8;
    this.forgetAfterMs = options.forgetAfterMs ?? 5 * this.windowMs;
    this.maxInFlight = options.maxInFlight ?? 8;
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
  }

  private pace(method: string): WorkspacePace {
    let p = this.paces.get(method);
    if (!p) {
      p = {
        pausedUntil: 0,
        intervalMs: 0,
        nextSlot: 0,
        baseIntervalMs: 0,
        quietSince: 0,
        successes: [],
        slots: new Slots(this.maxInFlight),
      };
      this.paces.set(method, p);
    }
    return p;
  }

  /** The pace, sped up for every whole window that passed without new evidence of the workspace limit. */
  private relax(p: WorkspacePace, t: number): void {
    if (p.baseIntervalMs === 0) return;
    const quiet = t - p.quietSince;
    p.intervalMs =
      quiet > this.forgetAfterMs
        ? 0
        : Math.floor(p.baseIntervalMs * this.recoverFactor ** Math.floor(quiet / this.windowMs));
  }

  /** Evidence of the workspace limit: the pace stops relaxing from where it is. */
  private noteRefusal(p: WorkspacePace, t: number): void {
    this.relax(p, t);
    p.baseIntervalMs = p.intervalMs;
    p.quietSince = t;
  }

  private async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0) {
      if (signal?.aborted) throw new GateAborted('stopped while waiting for Slack');
      return;
    }
    await this.sleep(ms, signal);
  }

  /** Waits for the call's turn; returns the pace slot it took (0 = none). */
  private async waitTurn(key: string, p: WorkspacePace, signal?: AbortSignal): Promise<number> {
    for (;;) {
      const t = this.now();
      this.relax(p, t);
      const until = Math.max(this.pauses.get(key) ?? 0, p.pausedUntil);
      if (until > t) {
        await this.wait(until - t, signal);
        continue;
      }
      if (p.intervalMs > 0) {
        const slot = Math.max(t, p.nextSlot);
        p.nextSlot = slot + p.intervalMs;
        await this.wait(slot - t, signal);
        return p.intervalMs;
      }
      return 0;
    }
  }

  /** A channel was refused again after waiting out its own Retry-After: the workspace's cap, not the channel's. */
  private learnWorkspaceLimit(p: WorkspacePace, t: number, waitMs: number): void {
    p.pausedUntil = Math.max(p.pausedUntil, t + waitMs);
    p.successes = p.successes.filter((x) => x > t - this.windowMs);
    if (p.successes.length < this.minSample) return;
    // The rate that got through, not the slower of it and the old pace: under a pace that is too slow the
    // successes fall, and taking the slower would ratchet the pace down for good.
    p.intervalMs = Math.min(this.windowMs / this.floorPerWindow, Math.ceil(this.windowMs / p.successes.length));
    p.baseIntervalMs = p.intervalMs;
    p.quietSince = t;
    p.nextSlot = Math.max(p.nextSlot, p.pausedUntil);
  }

  /** The workspace pace of a method in ms between calls (0 = none), for tests and logs. */
  paceOf(method: string): number {
    const p = this.paces.get(method);
    if (!p) return 0;
    this.relax(p, this.now());
    return p.intervalMs;
  }

  async call<T>(method: string, fn: () => Promise<T>, options: GateCall = {}): Promise<T> {
    if (!PER_CHANNEL.has(method) || options.channel === undefined)
      return this.attempts(method, method, fn, options.signal);
    const key = `${method}|${options.channel}`;
    let channel = this.channels.get(key);
    if (!channel) this.channels.set(key, (channel = new Slots(1)));
    await channel.acquire(options.signal);
    try {
      return await this.attempts(method, key, fn, options.signal);
    } finally {
      channel.release();
      if (channel.idle) this.channels.delete(key);
    }
  }

  private async attempts<T>(method: string, key: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const perChannel = key !== method;
    const p = this.pace(method);
    const started = this.now();
    let refusedBefore = false;
    for (;;) {
      const slot = await this.waitTurn(key, p, signal);
      if (perChannel) await p.slots.acquire(signal);
      try {
        const result = await fn();
        const t = this.now();
        p.successes.push(t);
        while (p.successes.length > 0 && p.successes[0]! <= t - this.windowMs) p.successes.shift();
        return result;
      } catch (err) {
        const wait = retryAfterMs(err);
        if (wait === undefined || this.now() - started + wait > this.maxWaitMs) throw err;
        const t = this.now();
        this.pauses.set(key, Math.max(this.pauses.get(key) ?? 0, t + wait));
        // Refused again after waiting out its own Retry-After, alone in its channel: the workspace's cap.
        // A method without channels has one limit, so any 429 of it is evidence. Other 429s leave the pace alone.
        if (!perChannel || refusedBefore) {
          this.noteRefusal(p, t);
          this.learnWorkspaceLimit(p, t, wait);
        } else if (slot > 0) {
          // The pace is the rate of successes; a call its own channel refused used none of it: give its slot back.
          p.nextSlot = Math.max(t, p.nextSlot - slot);
        }
        refusedBefore = true;
      } finally {
        if (perChannel) p.slots.release();
      }
    }
  }
}

/** The WebClient options that hand 429s to a RateLimitGate instead of the client's own retry loop. */
export const GATED_CLIENT_OPTIONS = { rejectRateLimitedCalls: true } as const;

export type { WebClient };
