// Slack retries an event it thinks was not handled; with two replicas (HTTP behind a load balancer, or two Lambda
// containers) the retry may reach the other one. The claim of its event_id lives in the shared state store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createBotApp, EVENTS_PATH, type BotApp } from '../../src/bot/create-app.js';
import { lineLogger } from '../../src/bot/logger.js';
import { StorePorts } from '../../src/bot/store-ports.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { appHomeOpened } from './harness/payloads.js';
import { signedPost } from './harness/sign.js';

const SECRET = 'test-signing-secret-0123456789abcdef';
const ANN = 'UANN0000001';

let slack: FakeSlack;
const replicas: Array<{ bot: BotApp; url: string; store: SqliteStateStore }> = [];
const logs: string[] = [];

beforeAll(async () => {
  slack = await startFakeSlack({ rateLimits: false });
  slack.addUser({ id: ANN, name: 'ann', email: 'ann@example.com' });
  const path = join(mkdtempSync(join(tmpdir(), 'mfa-dedupe-')), 'state.db');
  const config = parseConfig({ slack: { digestChannel: 'C0SECURITY1' } });
  for (let i = 0; i < 2; i++) {
    const store = SqliteStateStore.open(path);
    const now = () => new Date();
    const bot = await createBotApp({
      settings: {
        botToken: slack.botToken,
        apiUrl: slack.url,
        transport: { kind: 'http', signingSecret: SECRET, port: 0 },
      },
      deps: {
        ports: new StorePorts({ store, config, now, clientsFor: () => undefined }),
        config,
        now,
        log: lineLogger((l) => logs.push(l)),
        admins: { isAdmin: async () => false },
      },
      host: '127.0.0.1',
    });
    const { port } = await bot.start();
    replicas.push({ bot, url: `http://127.0.0.1:${port}${EVENTS_PATH}`, store });
  }
});
afterAll(async () => {
  for (const r of replicas) {
    await r.bot.stop();
    await r.store.close();
  }
  await slack?.stop();
});

async function settle(): Promise<void> {
  // Listeners run after the acknowledgement: give both replicas time to do (or not do) their work.
  for (let i = 0; i < 50 && slack.countCalls('views.publish') === 0; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
}

describe('retried deliveries across replicas', () => {
  it('an event and its retry on another replica: handled once (one App Home published)', async () => {
    const event = appHomeOpened(ANN, 'EvREPLICA01');
    const [a, b] = replicas;
    expect((await signedPost(a!.url, SECRET, { json: event })).status).toBe(200);
    expect(
      (await signedPost(b!.url, SECRET, { json: event }, { retryNum: 1, retryReason: 'http_timeout' })).status,
    ).toBe(200);
    await settle();
    expect(slack.countCalls('views.publish')).toBe(1);
    expect(logs.join('')).toMatch(/ignored a repeated delivery of event \(retry 1, http_timeout\)/);

    // Another event is handled, by either replica.
    expect((await signedPost(b!.url, SECRET, { json: appHomeOpened(ANN, 'EvREPLICA02') })).status).toBe(200);
    for (let i = 0; i < 50 && slack.countCalls('views.publish') < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(slack.countCalls('views.publish')).toBe(2);
  });
});
