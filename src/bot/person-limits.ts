/**
 * Per-person limits on what costs AWS calls or other people's attention, held in this process (under
 * `serve` that is the whole bot; on Lambda, each warm container of the slack function keeps its own).
 */

export type Take = { ok: true } | { ok: false; retryAt: Date };

/**
 * A token bucket per person: `burst` at once, then one more every `refillMs`. Memory stays bounded (`max` people,
 * oldest dropped).
 */
export class PersonRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly now: () => Date,
    private readonly burst = 3,
    private readonly refillMs = 60_000,
    private readonly max = 10_000,
  ) {}

  take(person: string): Take {
    const t = this.now().getTime();
    const last = this.buckets.get(person);
    const tokens = last ? Math.min(this.burst, last.tokens + Math.max(0, t - last.at) / this.refillMs) : this.burst;
    this.buckets.delete(person);
    if (tokens >= 1) {
      this.buckets.set(person, { tokens: tokens - 1, at: t });
      while (this.buckets.size > this.max) this.buckets.delete(this.buckets.keys().next().value!);
      return { ok: true };
    }
    this.buckets.set(person, { tokens, at: t });
    return { ok: false, retryAt: new Date(t + Math.ceil((1 - tokens) * this.refillMs)) };
  }
}

/** Runs tasks with the same key one after another (different keys run side by side); keys are dropped when idle. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** Live checks (`--fresh`, "Check again", "I've turned on MFA, check again"): three at once, then one a minute. */
export const LIVE_CHECK_BURST = 3;
export const LIVE_CHECK_REFILL_MS = 60_000;
/** "I need help": one post per person per IAM user's case within this window. */
export const HELP_WINDOW_MS = 24 * 60 * 60_000;

/** What the listeners share to keep one person from flooding AWS or the security channel. */
export interface PersonLimits {
  liveChecks: PersonRateLimit;
  helpRequests: KeyedQueue;
}

export function personLimits(now: () => Date): PersonLimits {
  return {
    liveChecks: new PersonRateLimit(now, LIVE_CHECK_BURST, LIVE_CHECK_REFILL_MS),
    helpRequests: new KeyedQueue(),
  };
}

/**
 * May this person have a live check now? Admins always may (they look into other people's logins and
 * start scans anyway); anyone else takes one from their bucket. Returns when to ask again when not.
 */
export async function liveCheckRefusedUntil(
  deps: { limits: PersonLimits; admins: { isAdmin(userId: string): Promise<boolean> } },
  person: string,
): Promise<Date | undefined> {
  if (await deps.admins.isAdmin(person)) return undefined;
  const take = deps.limits.liveChecks.take(person);
  return take.ok ? undefined : take.retryAt;
}
