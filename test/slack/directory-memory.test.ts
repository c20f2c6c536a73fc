// users.lookupByEmail (Tier 3, about 50 a minute) across cycles: after a complete member list none; after an
// incomplete one, capped per cycle, with the misses remembered in the state store for every later process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { mapPeople } from '../../src/jobs/map-people.js';
import { createSlackApi } from '../../src/slack/client.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { failingUser, HOUR, MONDAY_10, scanOf } from '../domain/nudge-fixtures.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack({ rateLimits: false });
  slack.addUser({ id: 'UANN0000001', name: 'ann', email: 'ann@example.com' });
  slack.addUser({ id: 'UGONE000001', name: 'gone', email: 'gone@example.com', deleted: true });
});
afterAll(async () => {
  await slack.stop();
});
beforeEach(() => slack.reset());

// Failing users whose names are addresses Slack does not know, plus ann (known) and a deactivated member.
const strangers = Array.from({ length: 25 }, (_, i) => `stranger${String(i).padStart(2, '0')}@example.com`);
const scan = scanOf([...strangers, 'ann@example.com', 'gone@example.com'].map((name) => failingUser(name)));
const config = parseConfig({ identity: { maxLookupsPerCycle: 10 } });
const api = () => createSlackApi({ token: slack.botToken, apiUrl: slack.url });
const statePath = () => join(mkdtempSync(join(tmpdir(), 'mfa-misses-')), 'state.db');

/** One cycle's mapping in a process of its own: its own store object on the state file, its own Slack client. */
async function cycle(path: string, at: Date, options: { listFails?: boolean; write?: boolean } = {}) {
  if (options.listFails) slack.failNext('users.list', 'internal_error');
  const store = SqliteStateStore.open(path, { now: at });
  const before = slack.countCalls('users.lookupByEmail');
  try {
    const mapping = await mapPeople(() => undefined, api(), config, scan, {
      store,
      now: at,
      write: options.write ?? true,
    });
    return {
      mapping,
      lookups: slack
        .calls('users.lookupByEmail')
        .slice(before)
        .map((c) => String(c.params.email)),
    };
  } finally {
    await store.close();
  }
}

describe('e-mail lookups across cycles', () => {
  it(
    'after a complete users.list a miss is a miss: no lookup ' +
      'in either of two cycles, deactivated members included',
    async () => {
      const path = statePath();
      for (const at of [MONDAY_10, new Date(MONDAY_10.getTime() + HOUR)]) {
        const { mapping, lookups } = await cycle(path, at);
        expect(lookups).toEqual([]);
        expect(mapping.identities.size).toBe(1);
        expect(mapping.unmapped).toHaveLength(26);
      }
      expect(slack.countCalls('users.list')).toBe(2);
    },
  );

  it(
    'after an incomplete users.list: at most maxLookupsPerCycle ' +
      'lookups, misses remembered across processes until they expire',
    async () => {
      const path = statePath();
      const first = await cycle(path, MONDAY_10, { listFails: true });
      expect(first.mapping.memberListIncomplete).toBe('internal_error');
      expect(first.lookups).toHaveLength(10);
      expect(first.mapping.unmapped.filter((u) => u.deferred)).toHaveLength(27 - 10);

      // Later cycles ask only about addresses no earlier one asked about: ann and gone come up, and are found or not.
      const asked = new Set(first.lookups);
      for (let i = 1; i <= 2; i++) {
        const next = await cycle(path, new Date(MONDAY_10.getTime() + i * HOUR), { listFails: true });
        expect(next.lookups.length).toBeLessThanOrEqual(10);
        for (const email of next.lookups) expect(asked.has(email)).toBe(false);
        for (const email of next.lookups) asked.add(email);
      }
      expect(asked.size).toBe(27);
      // Every address has been asked about; ann was found, and is found again (a lookup for her, as the list is cut
      // short).
      const settled = await cycle(path, new Date(MONDAY_10.getTime() + 3 * HOUR), { listFails: true });
      expect(settled.lookups).toEqual(['ann@example.com']);
      expect(settled.mapping.unmapped.filter((u) => u.deferred)).toEqual([]);

      // A day later the memory has expired: the strangers may be asked about again (10 of them this cycle).
      const nextDay = await cycle(path, new Date(MONDAY_10.getTime() + 3 * HOUR + 24 * HOUR), { listFails: true });
      expect(nextDay.lookups).toHaveLength(10);
    },
  );

  it('a dry run reads the remembered misses but adds none', async () => {
    const path = statePath();
    const preview = await cycle(path, MONDAY_10, { listFails: true, write: false });
    expect(preview.lookups).toHaveLength(10);
    const real = await cycle(path, MONDAY_10, { listFails: true });
    expect(real.lookups).toEqual(preview.lookups);
  });
});
