import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runCycle } from '../../src/jobs/cycle.js';
import type { ChartRenderer } from '../../src/jobs/digest-chart.js';
import { createSlackApi } from '../../src/slack/client.js';
import { DynamoStateStore } from '../../src/store/dynamodb/dynamodb-store.js';
import { createStateTableInput } from '../../src/store/dynamodb/table.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import type { StateStore } from '../../src/store/store.js';
import { createUsers, motoClients } from '../support/aws.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { useMoto } from '../support/use-moto.js';

const CHANNEL = 'C0SECURITY1';
const moto = useMoto({ reset: false });
let slack: FakeSlack;
let statePath: string;
let usersMade = 0;

const MONDAY = new Date('2026-11-30T08:00:00Z');
const DAY = 86_400_000;
const day = (n: number) => new Date(MONDAY.getTime() + n * DAY);

/**
 * One scheduled scan at `now`, in a process of its own (the state file opened afresh, as after a restart or in
 * another Lambda container). A new console user without MFA first, so each scan's digest is new and posted.
 */
/** Where the state lives: the SQLite file of `serve`, or the DynamoDB table of the Lambda functions. */
let backend: 'sqlite' | 'dynamodb' = 'sqlite';
let tableName = '';
let tables = 0;

const dynamoClient = () =>
  new DynamoDBClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });

function openStore(): StateStore {
  if (backend === 'sqlite') return SqliteStateStore.open(statePath);
  const client = dynamoClient();
  return new DynamoStateStore({ table: tableName, client });
}

async function useBackend(which: 'sqlite' | 'dynamodb'): Promise<void> {
  backend = which;
  if (which === 'sqlite') return;
  tableName = `mfa-bot-chart-${++tables}`;
  const client = dynamoClient();
  await client.send(new CreateTableCommand(createStateTableInput(tableName)));
  client.destroy();
}

async function scanAt(now: Date, chart: 'weekly' | 'daily' | 'off', renderChart?: ChartRenderer) {
  await createUsers(motoClients(moto).iam, [{ name: `new-${++usersMade}`, password: true }]);
  const store = openStore();
  try {
    const config = parseConfig({
      checks: { gracePeriodDays: 0 },
      slack: { digestChannel: CHANNEL },
      digest: { chart },
      schedule: { timezone: 'Europe/Berlin' },
    });
    const api = createSlackApi({ token: slack.botToken, apiUrl: slack.url }, { retryMinMs: 0 });
    return await runCycle(
      { aws: motoClients(moto), slack: api, config, store, now: () => now, ...(renderChart ? { renderChart } : {}) },
      { dryRun: false },
    );
  } finally {
    await store.close();
  }
}

const charts = () => slack.files().filter((f) => f.filename.endsWith('.png'));
const digests = () => slack.messages({ channel: CHANNEL }).filter((m) => !m.thread_ts);

beforeAll(async () => {
  slack = await startFakeSlack({ rateLimits: false });
  slack.addChannel({ id: CHANNEL, name: 'security' });
});
afterAll(() => slack?.stop());
beforeEach(async () => {
  await moto.reset();
  slack.reset();
  statePath = join(mkdtempSync(join(tmpdir(), 'mfa-chart-')), 'state.db');
});

describe.each(['sqlite', 'dynamodb'] as const)('the coverage chart in the digest thread, state in %s', (which) => {
  beforeEach(() => useBackend(which));

  it('weekly: with the first digest of each ISO week, across restarts, as a PNG in the digest thread', async () => {
    const monday = await scanAt(day(0), 'weekly');
    expect(monday.outcome?.digest).toMatchObject({ ok: true, chart: { ok: true } });
    expect(charts()).toHaveLength(1);
    const chart = charts()[0]!;
    expect(chart.completed).toBe(true);
    expect(chart.channel).toBe(CHANNEL);
    expect(chart.thread_ts).toBe(monday.outcome?.digest?.ts);
    expect(chart.bytes?.subarray(1, 4).toString()).toBe('PNG');
    expect(chart.alt_text).toMatch(/coverage/);

    for (const n of [1, 2, 6]) {
      const later = await scanAt(day(n), 'weekly');
      expect(later.outcome?.digest?.ok).toBe(true);
      expect(later.outcome?.digest?.chart).toBeUndefined();
    }
    expect(digests()).toHaveLength(4);
    expect(charts()).toHaveLength(1);

    const nextMonday = await scanAt(day(7), 'weekly');
    expect(nextMonday.outcome?.digest?.chart).toEqual({ ok: true });
    expect(charts()).toHaveLength(2);
    expect(charts()[1]!.thread_ts).toBe(nextMonday.outcome?.digest?.ts);
  });

  it('an upload whose answer was lost is never repeated: not with the next digest, nor after the lease', async () => {
    slack.postThenDropNext('files.completeUploadExternal', 1);
    const first = await scanAt(day(0), 'weekly');
    expect(first.outcome?.digest?.ok).toBe(true);
    expect(first.outcome?.digest?.chart).toMatchObject({ ok: false, error: expect.stringMatching(/outcome unknown/) });
    expect(charts().filter((f) => f.completed)).toHaveLength(1);

    // Within the claim lease: the claim is left to the run that made it.
    const soon = await scanAt(new Date(day(0).getTime() + 60_000), 'weekly');
    expect(soon.outcome?.digest?.chart).toBeUndefined();
    // After it: a file carries no claim ID to look for in Slack, so the claim counts as sent.
    const afterLease = await scanAt(day(1), 'weekly');
    expect(afterLease.recovered.map((r) => r.outcome)).toEqual(['unknown']);
    expect(afterLease.outcome?.digest?.chart).toBeUndefined();
    expect(charts().filter((f) => f.completed)).toHaveLength(1);
  });
});

describe('the coverage chart in the digest thread (digest.chart)', () => {
  beforeEach(() => useBackend('sqlite'));

  it('daily: with every digest; off: never', async () => {
    await scanAt(day(0), 'daily');
    await scanAt(day(0.5), 'daily');
    expect(charts()).toHaveLength(2);
    await scanAt(day(1), 'off');
    await scanAt(day(7), 'off');
    expect(digests()).toHaveLength(4);
    expect(charts()).toHaveLength(2);
    expect(slack.countCalls('files.getUploadURLExternal')).toBe(2);
  });

  it('a chart that cannot be drawn: the digest is posted, and the next digest that week has it', async () => {
    const broken: ChartRenderer = async () => {
      throw new Error('no font');
    };
    const first = await scanAt(day(0), 'weekly', broken);
    expect(first.outcome?.digest).toMatchObject({
      ok: true,
      chart: { ok: false, error: 'could not draw the chart: no font' },
    });
    expect(digests()).toHaveLength(1);
    expect(slack.countCalls('files.getUploadURLExternal')).toBe(0);

    const second = await scanAt(day(1), 'weekly');
    expect(second.outcome?.digest?.chart).toEqual({ ok: true });
    expect(charts()).toHaveLength(1);
  });

  it('an upload Slack refuses: the digest stands, and the chart is tried again with the next digest', async () => {
    slack.failNext('files.getUploadURLExternal', 'fatal_error');
    const first = await scanAt(day(0), 'weekly');
    expect(first.outcome?.digest).toMatchObject({ ok: true, chart: { ok: false } });
    expect(digests()).toHaveLength(1);
    expect(charts().filter((f) => f.completed)).toHaveLength(0);

    const second = await scanAt(day(1), 'weekly');
    expect(second.outcome?.digest?.chart).toEqual({ ok: true });
    expect(charts()[0]?.thread_ts).toBe(second.outcome?.digest?.ts);
    await scanAt(day(2), 'weekly');
    expect(charts().filter((f) => f.completed)).toHaveLength(1);
  });
});
