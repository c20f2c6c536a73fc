import type { WebClient } from '@slack/web-api';

interface RateLimitedError {
  code?: string;
  retryAfter?: number;
}

function retryAfterMs(err: unknown): number | undefined {
  const e = err as RateLimitedError;
  return e?.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number' ? Math.max(0, e.retryAfter) * 1000 : undefined;
}

/**
 * Waits out Slack's 429s exactly as long as Retry-After says, per method, and then sends the same call again.
 * The WebClient can do this itself, but it adds its own exponential backoff on top of Retry-After and counts
 * each 429 against its retry budget, which both slows a large fan-out and can drop a message; Cloud Custodian's
 * mailer drops it outright. Here a rate-limited call is never lost: it waits, up to `maxWaitMs` in all.
 */
export class RateLimitGate {
  private pausedUntil = new Map<string, number>();

  constructor(
    private readonly maxWaitMs = 15 * 60_000,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = Date.now,
  ) {}

  async call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    const started = this.now();
    for (;;) {
      const until = this.pausedUntil.get(method) ?? 0;
      if (until > this.now()) await this.sleep(until - this.now());
      try {
        return await fn();
      } catch (err) {
        const wait = retryAfterMs(err);
        if (wait === undefined || this.now() - started + wait > this.maxWaitMs) throw err;
        // Everyone calling this method waits, not just the caller that was refused.
        this.pausedUntil.set(method, Math.max(this.pausedUntil.get(method) ?? 0, this.now() + wait));
      }
    }
  }
}

/** The WebClient options that hand 429s to a RateLimitGate instead of the client's own retry loop. */
export const GATED_CLIENT_OPTIONS = { rejectRateLimitedCalls: true } as const;

export type { WebClient };
