import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { registerServe, startServer } from '../../src/cli/serve-command.js';
import { parseConfig } from '../../src/config/load.js';
import { lineLogger } from '../../src/bot/logger.js';
import { serveSettingsFromEnv } from '../../src/bot/serve-settings.js';
import { createUsers, motoClients, useMotoEnv } from '../support/aws.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';

let moto: MotoServer;
let slack: FakeSlack;

beforeAll(async () => {
  [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
  useMotoEnv(moto);
  await createUsers(motoClients(moto).iam, [{ name: 'ann', password: true }]);
  slack.addChannel({ id: 'C0DIGEST001', name: 'security' });
});
afterAll(async () => {
  await Promise.all([moto?.stop(), slack?.stop()]);
});
beforeEach(() => slack.reset());

function configFile(text?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-serve-'));
  if (text !== undefined) {
    writeFileSync(join(dir, 'mfa-bot.yml'), text);
    return join(dir, 'mfa-bot.yml');
  }
  writeFileSync(
    join(dir, 'mfa-bot.yml'),
    `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: C0DIGEST001 }\n` +
      `state: { path: ${join(dir, 'state.db')} }\n`,
  );
  return join(dir, 'mfa-bot.yml');
}

/** `mfa-bot serve` through Commander, as main.ts runs it. */
function serveCli(env: NodeJS.ProcessEnv, config?: string) {
  let stderr = '';
  let code: number | undefined;
  const io: CliIo = {
    stdout: () => {},
    stderr: (t) => void (stderr += t),
    stdoutIsTty: false,
    stderrIsTty: false,
    env,
    now: () => new Date(),
  };
  const program = new Command('mfa-bot').exitOverride();
  registerServe(program, io, (c) => void (code = c));
  const done = program.parseAsync(['node', 'mfa-bot', 'serve', '--config', configFile(config)]);
  return { done, stderr: () => stderr, code: () => code };
}

async function until<T>(what: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const httpEnv = () => ({
  SLACK_BOT_TOKEN: slack.botToken,
  SLACK_API_URL: slack.url,
  SLACK_SIGNING_SECRET: 'secret-for-serve-test',
  PORT: '0',
});

describe('mfa-bot serve', () => {
  it('listens over HTTP, says where, serves /healthz, and stops cleanly on SIGTERM', async () => {
    const run = serveCli(httpEnv());
    const port = await until(() => /listening on 0\.0\.0\.0:(\d+)/.exec(run.stderr())?.[1]);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // No scan in the fresh state file: the scheduler scans at once.
    await until(() => (/scan 1: digest posted/.test(run.stderr()) ? true : undefined));
    process.emit('SIGTERM');
    await run.done;
    expect(run.code()).toBe(0);
    expect(run.stderr()).toMatch(/SIGTERM: stopping[\s\S]*stopped/);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(run.stderr()).not.toContain(slack.botToken);
    expect(run.stderr()).not.toContain('secret-for-serve-test');
  });

  it('with LOG_LEVEL=debug logs each Slack Web API call (method, channel, outcome, time), never a token', async () => {
    const quiet = serveCli(httpEnv());
    await until(() => (/scan 1: digest posted|nothing changed/i.test(quiet.stderr()) ? true : undefined));
    process.emit('SIGTERM');
    await quiet.done;
    expect(quiet.stderr()).not.toMatch(/ debug /);

    const run = serveCli({ ...httpEnv(), LOG_LEVEL: 'debug' });
    await until(() => (/slack chat\.postMessage C\w+: ok in \d+ ms/.test(run.stderr()) ? true : undefined));
    process.emit('SIGTERM');
    await run.done;
    expect(run.stderr()).toMatch(/ debug +slack auth\.test: ok in \d+ ms/);
    expect(run.stderr()).not.toContain(slack.botToken);
  });

  it('connects in Socket Mode when SLACK_APP_TOKEN is set, and stops on SIGINT', async () => {
    slack.addAppToken('xapp-1-serve-test');
    const run = serveCli({ ...httpEnv(), SLACK_APP_TOKEN: 'xapp-1-serve-test' });
    await until(() => (run.stderr().includes('connected to Slack in Socket Mode') ? true : undefined));
    expect(slack.socketConnections()).toBe(1);
    process.emit('SIGINT');
    await run.done;
    expect(run.code()).toBe(0);
    await until(() => (slack.socketConnections() === 0 ? true : undefined));
    expect(run.stderr()).not.toContain('xapp-1-serve-test');
  });

  it('fails fast, naming what is missing, without printing secrets', async () => {
    await expect(serveCli({}).done).rejects.toThrow(/SLACK_BOT_TOKEN is not set/);
    await expect(serveCli({ SLACK_BOT_TOKEN: slack.botToken }).done).rejects.toThrow(
      /set SLACK_APP_TOKEN .* or SLACK_SIGNING_SECRET/,
    );
    await expect(
      serveCli({ SLACK_BOT_TOKEN: slack.botToken, SLACK_APP_TOKEN: 'xoxb-wrong-kind' }).done,
    ).rejects.toThrow(/must be an app-level token/);
    await expect(serveCli({ ...httpEnv(), PORT: 'eighty' }).done).rejects.toThrow(/PORT must be a TCP port number/);
    await expect(serveCli(httpEnv(), 'checks: { gracePeriodDays: 0 }\n').done).rejects.toThrow(
      /slack\.digestChannel is not set/,
    );
    await expect(serveCli({ ...httpEnv(), SLACK_APP_TOKEN: 'xapp-1-unknown' }).done).rejects.toThrow(
      /^Slack refused SLACK_APP_TOKEN: invalid_auth/,
    );
    const badToken = serveCli({ ...httpEnv(), SLACK_BOT_TOKEN: 'xoxb-not-a-real-token' });
    const err = await badToken.done.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/^Slack rejected the bot token: invalid_auth \(SLACK_BOT_TOKEN is not valid/);
    expect(err?.message).not.toContain('xoxb-not-a-real-token');
    expect(badToken.stderr()).not.toContain('xoxb-not-a-real-token');
  });
});

describe('startServer', () => {
  it('answers from ready-made ports without scanning, and returns a handle that stops', async () => {
    const logs: string[] = [];
    const ports = {
      latestScan: async () => undefined,
      iamUsersOf: async () => [],
      slackIdentityOf: async () => undefined,
      recheck: async () => ({
        kind: 'not-found' as const,
        accountId: '123456789012',
        userName: 'x',
        checkedAt: new Date(),
      }),
      snooze: async () => {},
      recordHelpRequest: async () => {},
      markResolved: async () => {},
    };
    const handle = await startServer({
      config: parseConfig({}),
      env: httpEnv(),
      log: lineLogger((l) => logs.push(l)),
      ports,
      host: '127.0.0.1',
    });
    expect(handle.transport).toBe('http');
    await handle.firstScan;
    expect((await fetch(`http://127.0.0.1:${handle.port}/healthz`)).status).toBe(200);
    await handle.stop();
    expect(logs.join('')).toContain(`listening on 127.0.0.1:${handle.port}`);
  });

  it('reads the transport from the environment', () => {
    expect(
      serveSettingsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 's' })
        .transport,
    ).toEqual({ kind: 'socket', appToken: 'xapp-1' });
    expect(serveSettingsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).transport).toEqual({
      kind: 'http',
      signingSecret: 's',
      port: 3000,
    });
    expect(serveSettingsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '8080' })).toMatchObject({
      apiUrl: 'https://slack.com/api/',
      transport: { port: 8080 },
    });
    expect(() => serveSettingsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '70000' })).toThrow(
      /PORT/,
    );
  });
});
