import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { identityKey, type SlackIdentity } from '../../src/domain/identity.js';
import { runNudgePass } from '../../src/jobs/nudge-pass.js';
import { CLAIM_LEASE_MS } from '../../src/jobs/recover-claims.js';
import { createSlackApi } from '../../src/slack/client.js';
import { RateLimitGate } from '../../src/slack/rate-limit.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { ACCOUNT, failingUser, MONDAY_10, scanOf } from '../domain/nudge-fixtures.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';

/** Slack posts, then the answer goes astray; a crash or shutdown mid fan-out; a token revoked mid-run. */
let slack: FakeSlack;
const CHANNEL = 'C0SECURITY1';
const PEOPLE = Array.from({ length: 6 }, (_, i) => ({ iam: `user${i}`, slack: `U${String(i).padStart(10, '0')}` }));
const config = parseConfig({ slack: { digestChannel: CHANNEL }, nudges: { enabled: true } });
const identities = new Map<string, SlackIdentity>(
  PEOPLE.map((p) => [identityKey(ACCOUNT, p.iam), { slackUserId: p.slack, via: 'email-tag', tz: 'Europe/Berlin' }]),
);
/** Short, so a late answer is late without slowing the test; long enough that a loaded machine answers in time. */
const TIMEOUT_MS = 1_500;

let store: SqliteStateStore;
const api = (gate?: RateLimitGate) =>
  createSlackApi(
    { token: slack.botToken, apiUrl: slack.url, timeoutMs: TIMEOUT_MS },
    { retryMinMs: 0, ...(gate ? { gate } : {}) },
  );
const pass = (now: number | Date, extra: Partial<Parameters<typeof runNudgePass>[0]> = {}) =>
  runNudgePass({ store, slack: api(), config, now: () => new Date(now), ...extra });
const to = (user: string) => (p: Record<string, unknown>) => p.channel === user;
const copies = () => PEOPLE.map((p) => slack.dmsTo(p.slack).length);

beforeAll(async () => {
  slack = await startFakeSlack({ rateLimits: false });
  slack.addChannel({ id: CHANNEL, name: 'security' });
  for (const p of PEOPLE) slack.addUser({ id: p.slack, name: p.iam, tz: 'Europe/Berlin' });
});
afterAll(() => slack?.stop());
beforeEach(async () => {
  await store?.close();
  slack.reset();
  store = SqliteStateStore.open(join(mkdtempSync(join(tmpdir(), 'mfa-faults-')), 'state.db'), { now: MONDAY_10 });
  await store.saveScan(scanOf(PEOPLE.map((p) => failingUser(p.iam))), identities);
});

describe('a post Slack carried out but whose answer was lost', () => {
  it('is never sent again blindly: lost answer, 503 after posting, late answer past the timeout', async () => {
    slack.postThenDropNext('chat.postMessage', 1, to(PEOPLE[0]!.slack));
    slack.postThenFailNext('chat.postMessage', 503, 1, to(PEOPLE[1]!.slack));
    slack.answerLateNext('chat.postMessage', TIMEOUT_MS * 2, 1, to(PEOPLE[2]!.slack));
    const first = await pass(MONDAY_10);
    expect(copies()).toEqual([1, 1, 1, 1, 1, 1]);
    const unknown = first.outcome!.messages.filter((m) => m.status === 'failed');
    expect(unknown.map((m) => m.message.to).sort()).toEqual([PEOPLE[0]!.slack, PEOPLE[1]!.slack, PEOPLE[2]!.slack]);
    expect(unknown.every((m) => /outcome unknown/.test(m.error ?? ''))).toBe(true);

    // The claims wait for the recovery, which finds the three posts in Slack and records them.
    const soon = await pass(MONDAY_10.getTime() + 60_000);
    expect(soon.outcome?.messages).toEqual([]);
    const later = await pass(MONDAY_10.getTime() + CLAIM_LEASE_MS + 60_000);
    expect(later.recovered.map((r) => r.outcome)).toEqual(['found-sent', 'found-sent', 'found-sent']);
    expect(copies()).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a 503 or a dropped connection before Slack did anything: sent on the run after the lease', async () => {
    slack.failNextHttp('chat.postMessage', 503, 1);
    slack.dropNext('chat.postMessage', 1);
    await pass(MONDAY_10);
    expect(copies().filter((n) => n === 0)).toHaveLength(2);
    const later = await pass(MONDAY_10.getTime() + CLAIM_LEASE_MS + 60_000);
    expect(later.recovered.map((r) => r.outcome)).toEqual(['not-sent', 'not-sent']);
    expect(copies()).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe('a fan-out that stops part-way', () => {
  it('leaves what it did not send unclaimed, so the next run sends it at once', async () => {
    const stop = new AbortController();
    // One message at a time, each refused once first: the rest wait in the gate when the stop comes.
    slack.refuseFirstPostPerChannel(1);
    const first = await pass(MONDAY_10, {
      slack: api(new RateLimitGate({ maxInFlight: 1 })),
      signal: stop.signal,
      onMessage: (o) => o.status === 'sent' && stop.abort(),
    });
    const statuses = first.outcome!.messages.map((m) => m.status);
    expect(statuses.filter((s) => s === 'sent').length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 'not-sent').length).toBeGreaterThanOrEqual(1);
    expect(first.outcome!.stopped).toMatch(/stopping/);
    const open = (await store.cases()).flatMap((c) => c.messages).filter((m) => m.state === 'claimed');
    expect(open).toEqual([]);

    slack.refuseFirstPostPerChannel(undefined);
    const next = await pass(MONDAY_10.getTime() + 60_000);
    expect(next.recovered).toEqual([]);
    expect(copies()).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a token revoked mid-run stops the remaining sends instead of trying each', async () => {
    slack.failNext('chat.postMessage', 'token_revoked', 100);
    const r = await pass(MONDAY_10, { slack: api(new RateLimitGate({ maxInFlight: 2 })) });
    expect(r.outcome!.stopped).toMatch(/Slack refused the bot token \(token_revoked\)/);
    // What was already on the wire fails; nothing after it is tried.
    expect(slack.countCalls('chat.postMessage')).toBeLessThanOrEqual(2);
    expect(r.outcome!.messages.filter((m) => m.status === 'not-sent')).toHaveLength(
      PEOPLE.length - slack.countCalls('chat.postMessage'),
    );
  });
});
