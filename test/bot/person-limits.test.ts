import { describe, expect, it } from 'vitest';
import { KeyedQueue, PersonRateLimit } from '../../src/bot/person-limits.js';

describe('PersonRateLimit', () => {
  it('allows a burst, then one per interval, per person, and says when the next one is allowed', () => {
    const clock = { now: new Date('2026-11-23T10:00:00Z') };
    const limit = new PersonRateLimit(() => clock.now, 3, 60_000);
    expect([limit.take('ann'), limit.take('ann'), limit.take('ann')]).toEqual([
      { ok: true },
      { ok: true },
      { ok: true },
    ]);
    expect(limit.take('ann')).toEqual({ ok: false, retryAt: new Date('2026-11-23T10:01:00Z') });
    expect(limit.take('bob')).toEqual({ ok: true });
    clock.now = new Date('2026-11-23T10:00:30Z');
    expect(limit.take('ann')).toEqual({ ok: false, retryAt: new Date('2026-11-23T10:01:00Z') });
    clock.now = new Date('2026-11-23T10:01:00Z');
    expect(limit.take('ann')).toEqual({ ok: true });
    expect(limit.take('ann').ok).toBe(false);
  });

  it('forgets the oldest people past its size, so memory stays bounded', () => {
    const now = new Date();
    const limit = new PersonRateLimit(() => now, 1, 60_000, 2);
    limit.take('a');
    limit.take('b');
    limit.take('c');
    // 'a' was dropped: it starts over with a full bucket.
    expect(limit.take('a').ok).toBe(true);
    expect(limit.take('c').ok).toBe(false);
  });
});

describe('KeyedQueue', () => {
  it('runs tasks with one key one at a time, in order, even when one fails', async () => {
    const q = new KeyedQueue();
    const order: string[] = [];
    const slow =
      (name: string, ms: number, fail = false) =>
      async () => {
        order.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      q.run('k', slow('1', 30, true)),
      q.run('k', slow('2', 1)),
      q.run('other', slow('x', 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(order.indexOf('start 2')).toBeGreaterThan(order.indexOf('end 1'));
    expect(order.indexOf('start x')).toBeLessThan(order.indexOf('end 1'));
  });
});
