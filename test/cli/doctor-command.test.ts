import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUsers, motoClients, useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const manifestScopes = (parse(readFileSync('manifest.yml', 'utf8')) as { oauth_config: { scopes: { bot: string[] } } })
  .oauth_config.scopes.bot;
const APP_TOKEN = 'xapp-1-doctor-app-token';

let slack: FakeSlack;
let dir: string;
beforeAll(async () => {
  slack = await startFakeSlack({ rateLimits: false, botScopes: manifestScopes });
  slack.addAppToken(APP_TOKEN);
  slack.addChannel({ id: 'C0DIGEST001', name: 'security' });
  slack.addChannel({ id: 'C0PRIVATE01', name: 'sec-private', is_private: true });
  slack.addChannel({ id: 'C0OUTSIDE01', name: 'general-chat', botIsMember: false });
});
afterAll(async () => {
  await slack?.stop();
});
beforeEach(async () => {
  useMotoEnv(moto);
  dir = mkdtempSync(join(tmpdir(), 'mfa-doctor-'));
  await createUsers(motoClients(moto).iam, [{ name: 'ann', password: true, tags: { email: 'ann@example.com' } }]);
});

function writeConfig(yaml: string): string {
  const path = join(dir, 'mfa-bot.yml');
  writeFileSync(path, `state: { path: ${JSON.stringify(join(dir, 'data', 'state.db'))} }\n${yaml}`);
  return path;
}

const slackEnv = (extra: Record<string, string> = {}) => ({
  SLACK_BOT_TOKEN: slack.botToken,
  SLACK_API_URL: slack.url,
  SLACK_APP_TOKEN: APP_TOKEN,
  ...extra,
});

async function doctor(config: string, env: Record<string, string> = slackEnv(), args: string[] = []) {
  return runCli(['doctor', '--config', config, ...args], { env });
}

/** The line of the check named `name`, with its fix line when it has one. */
function lineOf(stdout: string, name: string): string {
  const lines = stdout.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^\\S+\\s+\\w+\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`).test(l));
  if (i < 0) throw new Error(`no line for ${name} in:\n${stdout}`);
  return lines[i + 1]?.startsWith('      fix:') ? `${lines[i]}\n${lines[i + 1]}` : lines[i]!;
}

describe('mfa-bot doctor, on a setup that works', () => {
  it('prints one ok line per check, creates nothing, never prints a token, and exits 0', async () => {
    const config = writeConfig(
      'slack: { digestChannel: C0DIGEST001, securityChannel: C0PRIVATE01 }\n' +
        "schedule: { scan: '0 8 * * 1-5', timezone: Europe/Berlin }\n",
    );
    const r = await doctor(config);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/FAIL/);
    expect(lineOf(r.stdout, 'config')).toContain(`${config} (from --config): valid`);
    expect(lineOf(r.stdout, 'sts:GetCallerIdentity')).toContain('in account 123456789012');
    expect(lineOf(r.stdout, 'region')).toContain('us-east-1 (from AWS_REGION)');
    for (const action of ['GenerateCredentialReport', 'GetCredentialReport', 'ListUserTags', 'GetLoginProfile'])
      expect(lineOf(r.stdout, `iam:${action}`)).toMatch(/^ok\s+aws\s+iam:\w+: permitted/);
    expect(lineOf(r.stdout, 'auth.test')).toContain('the token is the bot mfa-bot (UBOT000001)');
    expect(lineOf(r.stdout, 'scopes')).toMatch(/^ok .*the 8 scopes manifest.yml asks for/);
    expect(lineOf(r.stdout, 'slack.digestChannel')).toContain('#security (C0DIGEST001): the bot is a member');
    expect(lineOf(r.stdout, 'slack.securityChannel')).toContain('#sec-private (C0PRIVATE01): the bot is a member');
    expect(lineOf(r.stdout, 'SLACK_APP_TOKEN')).toContain('Socket Mode: the app-level token opens a connection');
    expect(lineOf(r.stdout, 'state.path')).toContain('does not exist yet: the first run creates it');
    expect(lineOf(r.stdout, 'schedule.scan')).toMatch(/in Europe\/Berlin: next at \d{4}-\d\d-\d\d 08:00, /);
    expect(r.stdout).toMatch(/\d+ ok, 0 failed, \d+ skipped: ready for a first run\.\n$/);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    for (const secret of [slack.botToken, APP_TOKEN]) expect(r.stdout).not.toContain(secret);
  });
});
