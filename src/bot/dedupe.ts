import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { BotLog } from './logger.js';
import type { BotPorts } from './ports.js';

/** How long a handled request's key keeps its repeats out; Slack retries an event within minutes. */
export const REQUEST_CLAIM_TTL_MS = 60 * 60_000;

/** Who handles a Slack request: the first claim of its key wins; repeats within the claim's lifetime lose. */
export interface RequestClaims {
  claim(key: string): boolean | Promise<boolean>;
}

/**
 * A bounded, expiring set of delivery keys in this process only: the first claim of a key wins, later ones
 * within `ttlMs` lose. Oldest keys are evicted past `max`, so memory stays flat however long the bot runs.
 * For a bot without a state store; with one, requestClaimsOf() shares the claims between processes.
 */
export class RecentKeys implements RequestClaims {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly max = 10_000,
    private readonly ttlMs = REQUEST_CLAIM_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  claim(key: string): boolean {
    const t = this.now();
    const at = this.seen.get(key);
    if (at !== undefined && t - at < this.ttlMs) return false;
    this.seen.delete(key);
    this.seen.set(key, t);
    while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

/**
 * What makes a delivery unique, identical across Slack's retries: an event's `event_id`, a command's or
 * an interaction's `trigger_id`. Undefined when the body carries neither (then it is always processed).
 */
export function deliveryKey(body: unknown): string | undefined {
  const b = body as { type?: string; event_id?: string; trigger_id?: string; command?: string };
  if (typeof b?.event_id === 'string' && b.event_id) return `event:${b.event_id}`;
  if (typeof b?.trigger_id === 'string' && b.trigger_id) return `${b.type ?? b.command ?? 'request'}:${b.trigger_id}`;
  return undefined;
}

/**
 * The claims in the state store when the ports have one (a claim with an expiry, shared by every HTTP replica
 * and Lambda container on that store), else in this process's memory.
 */
export function requestClaimsOf(ports: Pick<BotPorts, 'claimRequest'>): RequestClaims {
  const claimRequest = ports.claimRequest?.bind(ports);
  return claimRequest ? { claim: (key) => claimRequest(key, REQUEST_CLAIM_TTL_MS) } : new RecentKeys();
}

/**
 * Whether to handle the request: a claim the store could not record lets it through (a repeat beats a lost request).
 */
async function firstDelivery(keys: RequestClaims, key: string, log: BotLog): Promise<boolean> {
  try {
    return await keys.claim(key);
  } catch (err) {
    log.warn(
      `could not record ${key.split(':')[0]} ${key.slice(key.indexOf(':') + 1)} ` +
        `as handled (${(err as Error).message}): handling it anyway`,
    );
    return true;
  }
}

/** Global middleware: a repeated delivery (X-Slack-Retry-Num, or a Socket Mode retry) is acknowledged and dropped. */
export function dedupeDeliveries(keys: RequestClaims, log: BotLog): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = deliveryKey(args.body);
    if (key !== undefined && !(await firstDelivery(keys, key, log))) {
      const retry =
        args.context.retryNum !== undefined
          ? ` (retry ${args.context.retryNum}${args.context.retryReason ? `, ${args.context.retryReason}` : ''})`
          : '';
      log.info(`ignored a repeated delivery of ${key.split(':')[0]}${retry}`);
      const ack = (args as { ack?: () => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    await args.next();
  };
}
