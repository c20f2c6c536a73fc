import type { RateLimitOptions, RateRule, Tier } from './types.js';

/** Slack's published tiers (per method, per app, per workspace). */
export const DEFAULT_TIERS: Record<Tier, RateRule> = {
  1: { limit: 1, windowMs: 60_000 },
  2: { limit: 20, windowMs: 60_000 },
  3: { limit: 50, windowMs: 60_000 },
  4: { limit: 100, windowMs: 60_000 },
};

/** "1 per second per channel, short bursts >1 allowed". */
export const DEFAULT_POST_PER_CHANNEL: RateRule = { limit: 1, windowMs: 1_000, burst: 3 };
/** Slack has a workspace-wide cap for chat.postMessage but does not publish it. */
export const DEFAULT_POST_WORKSPACE: RateRule = { limit: 300, windowMs: 60_000 };

export interface ResolvedRateConfig {
  tiers: Record<Tier, RateRule>;
  postMessagePerChannel: RateRule;
  postMessageWorkspace: RateRule;
  methodTiers: Record<string, Tier>;
}

export function resolveRateConfig(opts: RateLimitOptions | undefined): ResolvedRateConfig {
  return {
    tiers: { ...DEFAULT_TIERS, ...(opts?.tiers ?? {}) },
    postMessagePerChannel: opts?.postMessagePerChannel ?? DEFAULT_POST_PER_CHANNEL,
    postMessageWorkspace: opts?.postMessageWorkspace ?? DEFAULT_POST_WORKSPACE,
    methodTiers: { ...(opts?.methodTiers ?? {}) },
  };
}

const EPSILON = 1e-9;

interface Bucket {
  tokens: number;
  last: number;
}

export interface BucketRequest {
  key: string;
  rule: RateRule;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Token buckets keyed by string, driven by an injectable clock. A request that needs
 * several buckets (chat.postMessage: channel + workspace) takes a token from each only
 * when every one of them has one.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  take(requests: readonly BucketRequest[]): RateDecision {
    const t = this.now();
    let waitMs = 0;
    const ready: Bucket[] = [];
    for (const { key, rule } of requests) {
      const capacity = Math.max(1, rule.burst ?? rule.limit);
      const ratePerMs = rule.limit / rule.windowMs;
      let b = this.buckets.get(key);
      if (b === undefined) {
        b = { tokens: capacity, last: t };
        this.buckets.set(key, b);
      }
      b.tokens = Math.min(capacity, b.tokens + Math.max(0, t - b.last) * ratePerMs);
      b.last = t;
      // Tolerance for floating point: 3000 ms at 20/60000 per ms must make a whole token.
      if (b.tokens >= 1 - EPSILON) ready.push(b);
      else waitMs = Math.max(waitMs, Math.ceil((1 - b.tokens) / ratePerMs));
    }
    if (waitMs > 0) return { allowed: false, retryAfterMs: waitMs };
    for (const b of ready) b.tokens -= 1;
    return { allowed: true };
  }

  reset(): void {
    this.buckets.clear();
  }
}

/** Retry-After is whole seconds (what @slack/web-api parses with parseInt), never below 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
