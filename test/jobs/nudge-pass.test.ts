import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { identityKey, type SlackIdentity } from '../../src/domain/identity.js';
import type { Verdict } from '../../src/domain/types.js';
import { runNudgePass } from '../../src/jobs/nudge-pass.js';
import { CLAIM_LEASE_MS } from '../../src/jobs/recover-claims.js';
import { createSlackApi } from '../../src/slack/client.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import type { StateStore } from '../../src/store/store.js';
import { ACCOUNT, DAY, failingUser, HOUR, MONDAY_10, passingUser, scanOf } from '../domain/nudge-fixtures.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';

let slack: FakeSlack;
const CHANNEL = 'C0SECURITY1';
const ANN = 'UANN0000001';
const BOB = 'UBOB0000001';
const config = parseConfig({ slack: { digestChannel: CHANNEL }, nudges: { enabled: true } });

let path: string;
const stores: SqliteStateStore[] = [];
function openStore(): SqliteStateStore {
  const s = SqliteStateStore.open(path, { now: MONDAY_10 });
  stores.push(s);
  return s;
}
const api = (token = slack.botToken) => createSlackApi({ token, apiUrl: slack.url }, { retryMinMs: 0 });
const at = (t: Date | number) => () => new Date(t);
const pass = (store: StateStore, now: Date | number, token?: string) =>
  runNudgePass({ store, slack: api(token), config, now: at(now) });

const identities = new Map<string, SlackIdentity>([
  [identityKey(ACCOUNT, 'ann'), { slackUserId: ANN, via: 'email-tag', tz: 'Europe/Berlin' }],
  [identityKey(ACCOUNT, 'bob'), { slackUserId: BOB, via: 'email-tag', tz: 'America/Los_Angeles' }],
]);
/** Saves a scan whose credential report was generated at `reportAt`. */
const scanned = (store: StateStore, verdicts: Verdict[], reportAt: Date) =>
  store.saveScan(scanOf(verdicts, { credentialReportGeneratedAt: reportAt }, reportAt), identities);

beforeAll(async () => {
  slack = await startFakeSlack({ rateLimits: false });
  slack.addChannel({ id: CHANNEL, name: 'security' });
  slack.addUser({ id: ANN, name: 'ann', email: 'ann@example.com', tz: 'Europe/Berlin' });
  slack.addUser({ id: BOB, name: 'bob', email: 'bob@example.com', tz: 'America/Los_Angeles' });
  // The manifest's scopes: no *:history, so Slack cannot say whether an interrupted post went out.
  slack.addToken('xoxb-no-history', {
    scopes: ['chat:write', 'users:read', 'users:read.email', 'files:write', 'commands', 'usergroups:read'],
  });
});
afterAll(async () => {
  await slack?.stop();
});
beforeEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  slack.reset();
  path = join(mkdtempSync(join(tmpdir(), 'mfa-pass-')), 'state.db');
});

describe('runNudgePass: never twice', () => {
  it("sends nothing more on a second run, and waits for working hours in each person's zone", async () => {
    const store = openStore();
    await scanned(store, [failingUser('ann'), failingUser('bob')], MONDAY_10);
    const first = await pass(store, MONDAY_10);
    expect(first.outcome?.messages.map((m) => [m.message.to, m.status])).toEqual([[ANN, 'sent']]);
    expect(first.plan?.waiting).toEqual([
      expect.objectContaining({ recipient: BOB, sendAt: new Date('2026-11-23T17:00:00Z') }),
    ]);
    await pass(store, MONDAY_10.getTime() + 60_000);
    expect(slack.dmsTo(ANN)).toHaveLength(1);
    expect(slack.dmsTo(BOB)).toHaveLength(0);
    await pass(store, new Date('2026-11-23T17:00:00Z'));
    expect(slack.dmsTo(BOB)).toHaveLength(1);
    expect(slack.dmsTo(ANN)).toHaveLength(1);
  });

  it('two processes racing on one state file send each DM once', async () => {
    const users = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const many = new Map(
      users.map((u) => [identityKey(ACCOUNT, u), { slackUserId: ANN, via: 'email-tag' as const, tz: 'Europe/Berlin' }]),
    );
    const a = openStore();
    await a.saveScan(scanOf(users.map((u) => failingUser(u))), many);
    const b = openStore();
    const [ra, rb] = await Promise.all([pass(a, MONDAY_10), pass(b, MONDAY_10)]);
    const sent = [...(ra.outcome?.messages ?? []), ...(rb.outcome?.messages ?? [])].filter((m) => m.status === 'sent');
    expect(sent).toHaveLength(20);
    expect(slack.dmsTo(ANN)).toHaveLength(20);
    expect(new Set(slack.dmsTo(ANN).map((m) => m.text)).size).toBe(20);
  });

  it(
    'a crash after Slack took the DM but before the ts was recorded: ' + 'found in Slack, recorded, not sent again',
    async () => {
      const store = openStore();
      await scanned(store, [failingUser('ann')], MONDAY_10);
      const crashing = Object.assign(Object.create(store) as StateStore, {
        markSent: async () => {
          throw new Error('killed');
        },
      });
      await expect(pass(crashing, MONDAY_10)).rejects.toThrow('killed');
      expect(slack.dmsTo(ANN)).toHaveLength(1);

      // Within the lease the claim belongs to the (maybe still running) sender: nothing happens.
      const soon = await pass(store, MONDAY_10.getTime() + 60_000);
      expect(soon.outcome?.messages).toEqual([]);
      const later = await pass(store, MONDAY_10.getTime() + CLAIM_LEASE_MS + 60_000);
      expect(later.recovered.map((r) => r.outcome)).toEqual(['found-sent']);
      expect(slack.dmsTo(ANN)).toHaveLength(1);
      const [c] = await store.cases();
      expect(c!.messages).toEqual([
        expect.objectContaining({
          step: 'nudge-1',
          state: 'sent',
          ts: slack.dmsTo(ANN)[0]!.ts,
          channel: slack.dmChannelOf(ANN),
        }),
      ]);
    },
  );

  it('a crash after recording the intent but before sending: sent on the next run after the lease', async () => {
    const store = openStore();
    await scanned(store, [failingUser('ann')], MONDAY_10);
    const crashing = Object.assign(Object.create(store) as StateStore, {
      claim: async (...args: Parameters<StateStore['claim']>) => {
        await store.claim(...args);
        throw new Error('killed');
      },
    });
    await expect(pass(crashing, MONDAY_10)).rejects.toThrow('killed');
    expect(slack.dmsTo(ANN)).toHaveLength(0);
    const later = await pass(store, MONDAY_10.getTime() + CLAIM_LEASE_MS + 60_000);
    expect(later.recovered.map((r) => r.outcome)).toEqual(['not-sent']);
    expect(slack.dmsTo(ANN)).toHaveLength(1);
    expect((await store.cases())[0]!.messages).toEqual([
      expect.objectContaining({ step: 'nudge-1', state: 'sent', attempts: 2 }),
    ]);
  });

  it(
    'without history scopes an interrupted DM is never sent twice: ' + 'counted as sent, and the cadence goes on',
    async () => {
      const store = openStore();
      await scanned(store, [failingUser('ann')], MONDAY_10);
      const crashing = Object.assign(Object.create(store) as StateStore, {
        markSent: async () => {
          throw new Error('killed');
        },
      });
      await expect(pass(crashing, MONDAY_10, 'xoxb-no-history')).rejects.toThrow('killed');
      const later = await pass(store, MONDAY_10.getTime() + CLAIM_LEASE_MS + 60_000, 'xoxb-no-history');
      expect(later.recovered).toEqual([expect.objectContaining({ outcome: 'unknown', detail: 'missing_scope' })]);
      expect(slack.dmsTo(ANN)).toHaveLength(1);
      await pass(store, MONDAY_10.getTime() + 2 * DAY, 'xoxb-no-history');
      expect(slack.dmsTo(ANN)).toHaveLength(2);
    },
  );

  it('retries a DM Slack refused on the next run', async () => {
    const store = openStore();
    await scanned(store, [failingUser('ann')], MONDAY_10);
    slack.failNext('chat.postMessage', 'messages_tab_disabled', 1);
    const first = await pass(store, MONDAY_10);
    expect(first.outcome?.messages.map((m) => [m.status, m.error])).toEqual([['failed', 'messages_tab_disabled']]);
    await pass(store, MONDAY_10.getTime() + HOUR);
    expect(slack.dmsTo(ANN)).toHaveLength(1);
  });
});

describe('runNudgePass: the lifecycle over weeks', () => {
  it('reminds, moves a snoozed reminder, escalates once, then ' +
    'thanks, updates the nudge, and starts over on a relapse', async () => {
    const store = openStore();
    await scanned(store, [failingUser('ann')], MONDAY_10);
    const days = (n: number) => MONDAY_10.getTime() + n * DAY;
    // Every hour for three weeks, as the scheduler's nudge pass would.
    for (let t = days(0); t <= days(21); t += HOUR) {
      if (t === days(6)) await store.snooze(ACCOUNT, 'ann', new Date(days(9)), { at: new Date(t), by: ANN });
      await pass(store, t);
    }
    const dms = slack.dmsTo(ANN);
    // The fake Slack stamps messages with the real clock, so the times come from the ledger.
    const [c] = await store.cases();
    expect(c!.messages.map((m) => `${m.step} ${m.sentAt!.toISOString().slice(0, 13)}`)).toEqual([
      'nudge-1 2026-11-23T10',
      'nudge-2 2026-11-25T10',
      // Due Saturday 28th, then snoozed (on the 29th) until Wednesday 2nd 10:00.
      'nudge-3 2026-12-02T10',
      // The next gap (5 days) counts from that late reminder; the escalation goes with the fourth nudge.
      'nudge-4 2026-12-07T10',
      'escalation 2026-12-07T10',
      'nudge-5 2026-12-14T10',
    ]);
    expect(dms).toHaveLength(5);
    const escalations = slack.messages({ channel: CHANNEL });
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.text).toMatch(
      /Escalation: ann in account 111122223333 \(prod\) still has no MFA after 3 nudges/,
    );

    // MFA turned on; the next scan sees it.
    await scanned(store, [passingUser('ann')], new Date(days(22)));
    await pass(store, days(22));
    const after = slack.dmsTo(ANN);
    expect(after).toHaveLength(6);
    expect(after[5]!.text).toMatch(/^Thank you!/);
    expect(after[4]!.edited).toBe(true);
    expect(after[4]!.text).toMatch(/^Done: MFA is on for ann/);
    expect(after.slice(0, 4).every((m) => !m.edited)).toBe(true);
    await pass(store, days(23));
    expect(slack.dmsTo(ANN)).toHaveLength(6);

    // A relapse, seen in a later credential report: a new cycle with a first nudge again.
    await scanned(store, [failingUser('ann')], new Date(days(29)));
    await pass(store, days(29));
    const relapse = slack.dmsTo(ANN);
    expect(relapse).toHaveLength(7);
    expect(relapse[6]!.text).toMatch(/has no MFA yet: here is how to turn it on/);
    expect((await store.cases()).map((x) => [x.cycle, x.resolution ?? 'open'])).toEqual([
      [1, 'fixed'],
      [2, 'open'],
    ]);
  }, 60_000);
});
