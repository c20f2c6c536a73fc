import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { BotLog } from './logger.js';

/**
 * A bounded, expiring set of delivery keys: the first claim of a key wins, later ones within `ttlMs` lose.
 * Oldest keys are evicted past `max`, so memory stays flat however long the bot runs.
 */
export class RecentKeys {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly max = 10_000,
    private readonly ttlMs = 60 * 60_000,
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

/** Global middleware: a repeated delivery (X-Slack-Retry-Num, or a Socket Mode retry) is acknowledged and dropped. */
export function dedupeDeliveries(keys: RecentKeys, log: BotLog): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = deliveryKey(args.body);
    if (key !== undefined && !keys.claim(key)) {
      const retry = args.context.retryNum !== undefined ? ` (retry ${args.context.retryNum}${args.context.retryReason ? `, ${args.context.retryReason}` : ''})` : '';
      log.info(`ignored a repeated delivery of ${key.split(':')[0]}${retry}`);
      const ack = (args as { ack?: () => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    await args.next();
  };
}
