import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

export const FIRST_RETRY_DELAY_MS = 100;
export const MAX_RETRY_DELAY_MS = 2_000;

/**
 * The wait before retry number `retry` (0 for the first): exponential from 100 ms, capped at 2 s, with
 * "equal jitter" (half fixed, half random) so that parallel callers spread out but never wait near zero.
 */
export function retryDelayMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

class Token implements RetryToken {
  constructor(
    private readonly retries: number,
    private readonly delay: number,
  ) {}
  getRetryCount() {
    return this.retries;
  }
  getRetryDelay() {
    return this.delay;
  }
}

/**
 * Retries throttling and transient errors (timeouts, resets, 5xx the SDK calls transient) a bounded number
 * of times with short backoff. The SDK's adaptive mode instead spaces every later call of the client about
 * 2 s apart once throttled, which made a scan whose first calls were throttled take twelve times as long;
 * its standard mode waits from 500 ms up on throttling. A scan makes a handful of calls per account, so a
 * short wait is enough for IAM's token bucket to refill, and maxAttempts still bounds a real outage.
 */
export class BoundedRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  constructor(
    private readonly maxAttempts: number,
    private readonly random: () => number = Math.random,
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return new Token(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount();
    const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
    if (!retryable || retries + 1 >= this.maxAttempts) throw new Error('No retry token available');
    let delay = retryDelayMs(retries, this.random);
    // A Retry-After header may ask for longer; honour it up to the cap.
    if (info.retryAfterHint instanceof Date)
      delay = Math.max(delay, Math.min(info.retryAfterHint.getTime() - Date.now(), MAX_RETRY_DELAY_MS));
    return new Token(retries + 1, delay);
  }

  recordSuccess(): void {}
}
