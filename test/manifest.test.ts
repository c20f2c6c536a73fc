import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_SCOPES, requiredBotScopes } from '../src/slack/scopes.js';
import { createUsers, motoClients, useMotoEnv } from './support/aws.js';
import { runCli } from './support/cli.js';
import { startFakeSlack, type FakeSlack } from './support/fake-slack/index.js';
import { startMoto, type MotoServer } from './support/moto/index.js';

interface Manifest {
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: Array<{ command: string; should_escape: boolean; url?: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync('manifest.yml', 'utf8')) as Manifest;

describe('manifest.yml', () => {
  it('declares the bot, /mfa-check, interactivity, App Home with messages, app_home_opened and Socket Mode', () => {
    expect(manifest.features.bot_user.display_name).toBeTruthy();
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/mfa-check', should_escape: true }),
    ]);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('asks for exactly the scopes the code needs', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(requiredBotScopes());
  });
});

describe('a cycle with a token that has only the manifest scopes', () => {
  let moto: MotoServer;
  let slack: FakeSlack;
  beforeAll(async () => {
    [moto, slack] = await Promise.all([
      startMoto(),
      startFakeSlack({ rateLimits: false, botScopes: manifest.oauth_config.scopes.bot }),
    ]);
    useMotoEnv(moto);
  });
  afterAll(async () => {
    await Promise.all([moto?.stop(), slack?.stop()]);
  });

  it('never meets missing_scope and calls only methods the scope table knows', async () => {
    slack.addChannel({ id: 'C0DIGEST001', name: 'security' });
    slack.addUser({ id: 'UANN0000001', name: 'ann', email: 'ann@example.com' });
    const { iam } = motoClients(moto);
    // Enough failing users that the digest overflows into a CSV upload as well.
    await createUsers(iam, [{ name: 'ann', password: true, tags: { email: 'ann@example.com' } }]);
    await moto.seedUsers({ count: 400, consoleShare: 1, mfaShare: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-manifest-'));
    writeFileSync(
      join(dir, 'c.yml'),
      `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: C0DIGEST001 }\nnudges: ` +
        `{ enabled: true }\nstate: { path: ${JSON.stringify(join(dir, 'state.db'))} }\n`,
    );
    const r = await runCli(['run', '--once', '--config', join(dir, 'c.yml')], {
      env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url },
      now: new Date(),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // delivered, and people are failing
    const calls = slack.calls();
    expect(calls.filter((c) => c.error === 'missing_scope')).toEqual([]);
    // The overflow CSV and the weekly coverage chart (digest.chart), both in the digest's thread.
    expect(slack.files().map((f) => f.filename.split('.').pop())).toEqual(['csv', 'png']);
    const methods = new Set(calls.map((c) => c.method).filter((m) => m !== '<upload>'));
    for (const m of methods) expect(Object.keys(METHOD_SCOPES), `no scope entry for ${m}`).toContain(m);
  });
});
