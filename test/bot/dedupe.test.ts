import { describe, expect, it } from 'vitest';
import { dedupeDeliveries, deliveryKey, RecentKeys, requestClaimsOf } from '../../src/bot/dedupe.js';
import { lineLogger } from '../../src/bot/logger.js';

describe('RecentKeys', () => {
  it('lets the first claim of a key win and refuses repeats', () => {
    const keys = new RecentKeys();
    expect(keys.claim('event:Ev1')).toBe(true);
    expect(keys.claim('event:Ev1')).toBe(false);
    expect(keys.claim('event:Ev2')).toBe(true);
  });

  it('stays bounded, forgetting the oldest keys first', () => {
    const keys = new RecentKeys(3);
    for (const k of ['a', 'b', 'c', 'd']) keys.claim(k);
    expect(keys.size).toBe(3);
    expect(keys.claim('a')).toBe(true);
    expect(keys.claim('d')).toBe(false);
  });

  it('forgets a key after its time to live', () => {
    let t = 0;
    const keys = new RecentKeys(10, 1_000, () => t);
    expect(keys.claim('k')).toBe(true);
    t = 999;
    expect(keys.claim('k')).toBe(false);
    t = 2_000;
    expect(keys.claim('k')).toBe(true);
  });
});

describe('deliveryKey', () => {
  it('keys events by event_id and commands and interactions by trigger_id', () => {
    expect(deliveryKey({ type: 'event_callback', event_id: 'Ev123', event: {} })).toBe('event:Ev123');
    expect(deliveryKey({ command: '/mfa-check', trigger_id: '1.2.3' })).toBe('/mfa-check:1.2.3');
    expect(deliveryKey({ type: 'block_actions', trigger_id: '4.5.6' })).toBe('block_actions:4.5.6');
    expect(deliveryKey({ type: 'something' })).toBeUndefined();
    expect(deliveryKey(undefined)).toBeUndefined();
  });
});

describe('dedupeDeliveries', () => {
  const run = async (claims: Parameters<typeof dedupeDeliveries>[0], logs: string[] = []) => {
    let handled = 0;
    const args = { body: { type: 'event_callback', event_id: 'Ev1' }, context: {}, next: async () => void handled++ };
    await dedupeDeliveries(
      claims,
      lineLogger((l) => logs.push(l)),
    )(args as never);
    return handled;
  };

  it("claims through the ports' store when there is one, with the claim's lifetime", async () => {
    const asked: Array<[string, number]> = [];
    const claims = requestClaimsOf({
      claimRequest: async (key, ttlMs) => {
        asked.push([key, ttlMs]);
        return asked.length === 1;
      },
    });
    expect(await run(claims)).toBe(1);
    expect(await run(claims)).toBe(0);
    expect(asked).toEqual([
      ['event:Ev1', 60 * 60_000],
      ['event:Ev1', 60 * 60_000],
    ]);
    expect(requestClaimsOf({})).toBeInstanceOf(RecentKeys);
  });

  it('handles the request when the store cannot record the claim, and says so', async () => {
    const logs: string[] = [];
    expect(
      await run({ claim: async () => Promise.reject(new Error('ProvisionedThroughputExceededException')) }, logs),
    ).toBe(1);
    expect(logs.join('')).toMatch(
      /could not record event Ev1 as handled \(ProvisionedThroughputExceededException\): handling it anyway/,
    );
  });
});
