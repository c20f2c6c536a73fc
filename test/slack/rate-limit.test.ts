import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSlackApi } from '../../src/slack/client.js';
import { RateLimitGate } from '../../src/slack/rate-limit.js';
import { mapLimit } from '../../src/util/map-limit.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';

const limited = (retryAfter: number) =>
  Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter });

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

  it(
    'learns the workspace rate once channels are refused after their ' +
      'own Retry-After, instead of releasing every waiting call at once',
    async () => {
      // On the test's own clock: with real timers a loaded machine fires the waits late, and the bucket refills
      // more between them than Slack's would.
      vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
      try {
        const slack = bucket(5, 500);
        const gate = new RateLimitGate({ windowMs: 500, minSample: 5, floorPerWindow: 1 });
        const run = mapLimit(Array.from({ length: 25 }), 8, (_, i) =>
          gate.call('chat.postMessage', () => slack.call(), { channel: `U${i}` }),
        );
        await vi.runAllTimersAsync();
        const results = await run;
        expect(results.every((r) => r === 'ok')).toBe(true);
        expect(slack.served).toBe(25);
        // Without pacing (minSample out of reach) the same run meets about 39 refusals: every pause releases
        // all eight waiting callers into a new wall of 429s. Learning needs the first refusals as evidence.
        expect(slack.refused).toBeLessThanOrEqual(15);
      } finally {
        vi.useRealTimers();
      }
    },
  );

  it('passes other errors straight through, and gives up once the wait would exceed its limit', async () => {
    const gate = new RateLimitGate({ maxWaitMs: 100 });
    await expect(
      gate.call('chat.postMessage', async () =>
        Promise.reject(Object.assign(new Error('x'), { data: { error: 'channel_not_found' } })),
      ),
    ).rejects.toThrow('x');
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

  it(
    'never learns a workspace pace from a handful of successes, ' + 'never paces slower than its floor, and recovers',
    async () => {
      let t = 0;
      const gate = new RateLimitGate({
        now: () => t,
        sleep: async (ms) => void (t += ms),
        minSample: 20,
        windowMs: 60_000,
        floorPerWindow: 60,
      });
      await gate.call('chat.postMessage', async () => 'ok', { channel: 'D1' });
      // Refused twice in a row in one channel: evidence of a workspace limit, but one success is no rate to learn.
      let refusals = 2;
      await gate.call('chat.postMessage', async () => (refusals-- > 0 ? Promise.reject(limited(1)) : 'ok'), {
        channel: 'D2',
      });
      expect(gate.paceOf('chat.postMessage')).toBe(0);

      for (let i = 0; i < 30; i++) await gate.call('chat.postMessage', async () => 'ok', { channel: `U${i}` });
      refusals = 2;
      await gate.call('chat.postMessage', async () => (refusals-- > 0 ? Promise.reject(limited(1)) : 'ok'), {
        channel: 'D3',
      });
      // 31 successes in the last minute: about 2 s apart, but never slower than the floor of 60 a minute.
      expect(gate.paceOf('chat.postMessage')).toBe(1000);
      t += 60_000;
      expect(gate.paceOf('chat.postMessage')).toBe(800);
      t += 5 * 60_000;
      expect(gate.paceOf('chat.postMessage')).toBe(0);
    },
  );
});

describe('RateLimitGate against the fake Slack: one 429 per DM channel', () => {
  let fake: FakeSlack;
  const USERS = 12;
  beforeAll(async () => {
    fake = await startFakeSlack({ rateLimits: false });
    fake.addUsers(USERS, (i) => ({ id: `U${String(i).padStart(10, '0')}`, name: `u${i}` }));
  });
  afterAll(() => fake?.stop());
  beforeEach(() => fake.reset());

  it('delays only the refused channel by its Retry-After, and leaves the workspace pace alone', {
    timeout: 15_000,
  }, async () => {
    fake.refuseFirstPostPerChannel(1);
    let slept = 0;
    const gate = new RateLimitGate({
      sleep: (ms) => {
        slept += ms;
        return new Promise((r) => setTimeout(r, ms));
      },
    });
    const api = createSlackApi({ token: fake.botToken, apiUrl: fake.url }, { gate });
    const users = Array.from({ length: USERS }, (_, i) => `U${String(i).padStart(10, '0')}`);
    // Four at a time: once the first four succeeded, the old gate paced every channel 15 s apart.
    await mapLimit(users, 4, (u) => api.postMessage({ channel: u, text: 'hi' }));
    expect(users.every((u) => fake.dmsTo(u).length === 1)).toBe(true);
    expect(fake.rateLimitedCount('chat.postMessage')).toBe(USERS);
    // Each channel waited its own second once, and nothing else: no pace was learned from these 429s. A wait is
    // measured to its deadline from a clock that moved on a millisecond or two since the 429 (hence the slack).
    expect(slept).toBeLessThanOrEqual(USERS * 1050);
    expect(gate.paceOf('chat.postMessage')).toBe(0);
  });
});
