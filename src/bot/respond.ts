import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { BotLog } from './logger.js';

export function describeError(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string }; message?: string };
  return e?.data?.error ?? e?.message?.split('\n')[0] ?? String(err);
}

/**
 * respond() through the response URL; a failure (expired URL, Slack answering 500) is logged, never thrown,
 * so one lost answer cannot take a listener or the process down. The URL itself is never logged.
 */
export async function safeRespond(
  respond: RespondFn | undefined,
  message: RespondArguments,
  log: BotLog,
  what: string,
): Promise<boolean> {
  if (!respond) {
    log.warn(`${what}: no response URL to answer through`);
    return false;
  }
  try {
    await respond(message);
    return true;
  } catch (err) {
    log.warn(`${what}: the answer could not be delivered through the response URL (${describeError(err)})`);
    return false;
  }
}
