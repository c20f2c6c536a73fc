import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import type { FakeSlack } from '../support/fake-slack/index.js';
import type { MotoServer } from '../support/moto/index.js';
import { pacedFanOut } from '../support/paced-fan-out.js';

const CHANNEL = 'C0DIGEST001';
const PEOPLE = 12;

/** `mfa-bot run --once` killed with SIGKILL mid fan-out, then run again at once. */
describe.runIf(existsSync('dist/cli/main.js'))('run --once killed mid fan-out', () => {
  let moto: MotoServer;
  let slack: FakeSlack;
  let dir: string;
  const env = () => ({ SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url });

  beforeAll(async () => {
    // One post a second across the workspace: the fan-out is paced, most DMs wait in the gate.
    ({ moto, slack, dir } = await pacedFanOut(PEOPLE, CHANNEL, 'mfa-bot-kill-'));
    useMotoEnv(moto);
  });
  afterAll(() => Promise.all([moto?.stop(), slack?.stop()]));

  it('the second run DMs everyone the first had not sent; only a post on the wire waits for the recovery', {
    timeout: 90_000,
  }, async () => {
    const child = spawn(process.execPath, ['bin/mfa-bot.js', 'run', '--once', '--config', join(dir, 'mfa-bot.yml')], {
      env: { ...process.env, ...moto.env, ...env() },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const dms = () => slack.messages().filter((m) => m.channelKind === 'im').length;
    const started = Date.now();
    while (dms() < 3) {
      if (Date.now() - started > 40_000 || child.exitCode !== null) throw new Error('the fan-out never got going');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const sentBeforeKill = dms();
    expect(sentBeforeKill).toBeLessThan(PEOPLE);

    const store = SqliteStateStore.open(join(dir, 'state.db'), { mode: 'snapshot', now: new Date() });
    const claimed = (await store.cases()).flatMap((c) => c.messages).filter((m) => m.state === 'claimed');
    await store.close();
    // Only requests on the wire hold a claim: at most the gate's 8 connections, never the queue behind them.
    expect(claimed.length).toBeLessThanOrEqual(8);

    const second = await runCli(['run', '--once', '--config', join(dir, 'mfa-bot.yml')], {
      env: env(),
      now: new Date(),
    });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(1); // delivered; the seeded users still fail
    const counts = Array.from({ length: PEOPLE }, (_, i) => slack.dmsTo(`U${String(i).padStart(10, '0')}`).length);
    expect(counts.every((n) => n <= 1)).toBe(true);
    // Everyone is DMed except someone whose post was on the wire at the kill: that waits for the lease.
    expect(counts.filter((n) => n === 0).length).toBeLessThanOrEqual(claimed.length);
  });
});
