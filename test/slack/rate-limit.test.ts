import { describe, expect, it } from 'vitest';
import { RateLimitGate } from '../../src/slack/rate-limit.js';
import { mapLimit } from '../../src/util/map-limit.js';

const limited = (retryAfter: number) => Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter });

/** A Slack-like token bucket: `capacity` calls at once, refilled at capacity per `windowMs`. */
function bucket(capacity: number, windowMs: number) {
  let tokens = capacity;
  let last = Date.now();
  let refused = 0;
  let served = 0;
  return {
    async call(): Promise<string> {
      const now = Date.now();
      tokens = Math.min(capacity, tokens + ((now - last) * capacity) / windowMs);
      last = now;
      if (tokens < 1) {
        refused++;
        throw limited(Math.ceil(((1 - tokens) * windowMs) / capacity) / 1000);
      }
      tokens -= 1;
      served++;
      return 'ok';
    },
    get refused() {
      return refused;
    },
    get served() {
      return served;
    },
  };
}

describe('RateLimitGate', () => {
  it('waits Retry-After and sends the same call again, losing nothing', async () => {
    const gate = new RateLimitGate();
    let attempts = 0;
    const started = Date.now();
    const result = await gate.call('chat.postMessage', async () => {
      if (++attempts < 3) throw limited(0.05);
      return 'sent';
    });
    expect(result).toBe('sent');
    expect(attempts).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('learns the sustainable rate after a 429 instead of releasing every waiting call at once', async () => {
    const slack = bucket(5, 500);
    const gate = new RateLimitGate({ windowMs: 500 });
    const results = await mapLimit(Array.from({ length: 25 }), 8, () => gate.call('chat.postMessage', () => slack.call()));
    expect(results.every((r) => r === 'ok')).toBe(true);
    expect(slack.served).toBe(25);
    // Without pacing, every pause would release all eight waiting callers into a new wall of 429s.
    expect(slack.refused).toBeLessThanOrEqual(6);
  });

  it('passes other errors straight through, and gives up once the wait would exceed its limit', async () => {
    const gate = new RateLimitGate({ maxWaitMs: 100 });
    await expect(gate.call('chat.postMessage', async () => Promise.reject(Object.assign(new Error('x'), { data: { error: 'channel_not_found' } })))).rejects.toThrow('x');
    await expect(gate.call('users.list', async () => Promise.reject(limited(1)))).rejects.toThrow('rate limited');
  });

  it('keeps methods apart: a 429 on one does not slow another', async () => {
    const gate = new RateLimitGate();
    let first = true;
    const slow = gate.call('users.list', async () => {
      if (first) {
        first = false;
        throw limited(0.3);
      }
      return 'list';
    });
    const started = Date.now();
    await gate.call('chat.postMessage', async () => 'posted');
    expect(Date.now() - started).toBeLessThan(100);
    expect(await slow).toBe('list');
  });
});
