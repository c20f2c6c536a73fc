import { describe, expect, it } from 'vitest';
import { deliveryKey, RecentKeys } from '../../../src/slack/app/dedupe.js';

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
