import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { identityKey, type SlackIdentity } from '../../src/domain/identity.js';
import { runNudgePass } from '../../src/jobs/nudge-pass.js';
import { createSlackApi } from '../../src/slack/client.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { ACCOUNT, failingUser, MONDAY_10, scanOf } from '../domain/nudge-fixtures.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';

/** A fan-out whose every DM channel refuses its first post once (Retry-After: 1 s). */
let slack: FakeSlack;
let store: SqliteStateStore;
const CHANNEL = 'C0SECURITY1';
// More people than could once wait on the gate at a time (256).
const PEOPLE = Array.from({ length: 300 }, (_, i) => ({ iam: `user${i}`, slack: `U${String(i).padStart(10, '0')}` }));
const config = parseConfig({ slack: { digestChannel: CHANNEL }, nudges: { enabled: true } });
const identities = new Map<string, SlackIdentity>(
  PEOPLE.map((p) => [identityKey(ACCOUNT, p.iam), { slackUserId: p.slack, via: 'email-tag', tz: 'Europe/Berlin' }]),
);

beforeAll(async () => {
  slack = await startFakeSlack({ rateLimits: false });
  slack.addChannel({ id: CHANNEL, name: 'security' });
  for (const p of PEOPLE) slack.addUser({ id: p.slack, name: p.iam, tz: 'Europe/Berlin' });
  store = SqliteStateStore.open(join(mkdtempSync(join(tmpdir(), 'mfa-fan-out-')), 'state.db'), { now: MONDAY_10 });
  await store.saveScan(scanOf(PEOPLE.map((p) => failingUser(p.iam))), identities);
});
afterAll(async () => {
  await store?.close();
  await slack?.stop();
});

describe('a fan-out where every DM channel refuses its first post', () => {
  it("tries every DM once before any waits out its Retry-After: one DM's 429 never holds back another's", async () => {
    slack.refuseFirstPostPerChannel(1);
    const r = await runNudgePass({
      store,
      slack: createSlackApi({ token: slack.botToken, apiUrl: slack.url }, { retryMinMs: 0 }),
      config,
      now: () => MONDAY_10,
    });
    expect(r.outcome!.messages.filter((m) => m.status === 'sent')).toHaveLength(PEOPLE.length);
    const dms = slack.calls('chat.postMessage').filter((c) => String(c.params.channel).startsWith('U'));
    const lastRefused = dms.map((c) => c.status).lastIndexOf(429);
    const firstAccepted = dms.findIndex((c) => c.ok);
    expect(dms.filter((c) => c.status === 429)).toHaveLength(PEOPLE.length);
    expect(lastRefused).toBeLessThan(firstAccepted);
    expect(PEOPLE.map((p) => slack.dmsTo(p.slack).length)).toEqual(PEOPLE.map(() => 1));
  });
});
