import type { WebClient } from '@slack/web-api';

interface RateLimitedError {
  code?: string;
  retryAfter?: number;
}

function retryAfterMs(err: unknown): number | undefined {
  const e = err as RateLimitedError;
  return e?.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number' ? Math.max(0, e.retryAfter) * 1000 : undefined;
}

export interface GateOptions {
  /** Longest a single call may spend waiting on 429s before its error is passed on. */
  maxWaitMs?: number;
  /** Slack's rate windows are a minute long. */
  windowMs?: number;
  /** After this long without a 429, a method goes back to full speed. */
  forgetAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

interface MethodState {
  pausedUntil: number;
  /** Successful calls in the last minute, oldest first. */
  successes: number[];
  /** Learned spacing between calls once Slack has said "slow down"; 0 = no pacing. */
  intervalMs: number;
  nextSlot: number;
  last429: number;
}

/**
 * Keeps mfa-bot inside Slack's rate limits, per method, without losing a call.
 * - On a 429 every caller of that method waits exactly Retry-After, then the refused call is sent again.
 * - Slack does not publish every limit (chat.postMessage has an unpublished workspace-wide one), so the gate
 *   learns it: after a 429 it paces the method at the rate that had been succeeding over the last minute,
 *   instead of releasing every waiting call at once into another wall of 429s.
 * The WebClient's own 429 handling adds exponential backoff on top of Retry-After and counts each 429 against
 * its retry budget, which slows a large fan-out and can drop a message (Cloud Custodian's mailer drops it
 * outright); clients created for this gate therefore reject 429s and let the gate decide.
 */
export class RateLimitGate {
  private readonly methods = new Map<string, MethodState>();
  private readonly maxWaitMs: number;
  private readonly windowMs: number;
  private readonly forgetAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(options: GateOptions = {}) {
    this.maxWaitMs = options.maxWaitMs ?? 15 * 60_000;
    this.windowMs = options.windowMs ?? 60_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 5 * 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = options.now ?? Date.now;
  }

  private state(method: string): MethodState {
    let s = this.methods.get(method);
    if (!s) {
      s = { pausedUntil: 0, successes: [], intervalMs: 0, nextSlot: 0, last429: 0 };
      this.methods.set(method, s);
    }
    return s;
  }

  private async waitTurn(s: MethodState): Promise<void> {
    if (s.intervalMs > 0 && this.now() - s.last429 > this.forgetAfterMs) s.intervalMs = 0;
    let start = Math.max(this.now(), s.pausedUntil);
    if (s.intervalMs > 0) {
      start = Math.max(start, s.nextSlot);
      s.nextSlot = start + s.intervalMs;
    }
    const wait = start - this.now();
    if (wait > 0) await this.sleep(wait);
  }

  async call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    const s = this.state(method);
    const started = this.now();
    for (;;) {
      await this.waitTurn(s);
      try {
        const result = await fn();
        const t = this.now();
        s.successes.push(t);
        while (s.successes.length > 0 && s.successes[0]! <= t - this.windowMs) s.successes.shift();
        return result;
      } catch (err) {
        const wait = retryAfterMs(err);
        if (wait === undefined || this.now() - started + wait > this.maxWaitMs) throw err;
        const t = this.now();
        s.last429 = t;
        s.pausedUntil = Math.max(s.pausedUntil, t + wait);
        // With no recent successes there is nothing to learn from: Retry-After alone decides.
        const recent = s.successes.filter((x) => x > t - this.windowMs).length;
        if (recent > 0) s.intervalMs = Math.max(s.intervalMs, Math.ceil(this.windowMs / recent));
        s.nextSlot = Math.max(s.nextSlot, s.pausedUntil);
      }
    }
  }
}

/** The WebClient options that hand 429s to a RateLimitGate instead of the client's own retry loop. */
export const GATED_CLIENT_OPTIONS = { rejectRateLimitedCalls: true } as const;

export type { WebClient };
