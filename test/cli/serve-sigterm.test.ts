import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STOP_GRACE_MS } from '../../src/cli/serve-command.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import type { FakeSlack } from '../support/fake-slack/index.js';
import type { MotoServer } from '../support/moto/index.js';
import { pacedFanOut } from '../support/paced-fan-out.js';

const CHANNEL = 'C0DIGEST001';
const PEOPLE = 12;

/** `mfa-bot serve` told to stop while its first fan-out is paced by Slack's workspace cap. */
describe.runIf(existsSync('dist/cli/main.js'))('mfa-bot serve: SIGTERM during a fan-out', () => {
  let moto: MotoServer;
  let slack: FakeSlack;
  let child: ChildProcessWithoutNullStreams;
  let stderr = '';
  let dir: string;

  beforeAll(async () => {
    // One post a second across the workspace: twelve DMs take twelve seconds.
    ({ moto, slack, dir } = await pacedFanOut(PEOPLE, CHANNEL, 'mfa-bot-sigterm-'));
    child = spawn(process.execPath, ['bin/mfa-bot.js', 'serve', '--config', join(dir, 'mfa-bot.yml')], {
      env: {
        ...process.env,
        ...moto.env,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_API_URL: slack.url,
        SLACK_SIGNING_SECRET: 'sigterm-secret',
        PORT: '0',
        SLACK_APP_TOKEN: '',
      },
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await Promise.all([moto?.stop(), slack?.stop()]);
  });

  it('stops sending at once, exits 0 well within the grace period, and leaves what it did not send unclaimed', {
    timeout: 60_000,
  }, async () => {
    const started = Date.now();
    while (slack.messages().filter((m) => m.channelKind === 'im').length < 2) {
      if (Date.now() - started > 40_000) throw new Error(`the fan-out never started:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const took = Date.now() - signalled;
    expect(took).toBeLessThan(STOP_GRACE_MS);
    expect(stderr).toMatch(/SIGTERM: stopping/);
    expect(stderr).toMatch(/not sent: stopping/);

    const dms = slack.messages().filter((m) => m.channelKind === 'im');
    expect(dms.length).toBeLessThan(PEOPLE);
    const store = SqliteStateStore.open(join(dir, 'state.db'), { mode: 'snapshot', now: new Date() });
    const messages = (await store.cases()).flatMap((c) => c.messages);
    await store.close();
    // Every DM Slack holds is recorded as sent; nothing is left claimed for a recovery to guess about.
    expect(messages.filter((m) => m.state === 'sent')).toHaveLength(dms.length);
    expect(messages.filter((m) => m.state === 'claimed')).toEqual([]);
  });
});
