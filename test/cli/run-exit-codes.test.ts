import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUsers, MOTO_ACCOUNT, motoClients, useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';

let moto: MotoServer;
let slack: FakeSlack;

/** Top-level posts: the digest's thread also holds the weekly coverage chart (digest.chart). */
const posts = (filter: { channel?: string } = {}) => slack.messages(filter).filter((m) => !m.thread_ts);
let dir: string;
const CHANNEL = 'C0SECURITY1';
/** A Monday, 10:00 UTC: inside the default working hours in UTC. */
const MONDAY = new Date('2030-03-04T10:00:00Z');
const statePath = () => join(dir, 'data', 'state.db');

function config(extra = '', slackSection = `slack: { digestChannel: ${CHANNEL} }\n`): string {
  const path = join(dir, 'mfa-bot.yml');
  writeFileSync(
    path,
    `${slackSection}identity: { emailDomain: example.com }\nnudges: { enabled: ` +
      `true }\nstate: { path: ${JSON.stringify(statePath())} }\n${extra}`,
  );
  return path;
}

const env = () => ({ SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url });
const run = (args: string[], opts: { env?: NodeJS.ProcessEnv; now?: Date } = {}) =>
  runCli(['run', ...args], { env: env(), now: MONDAY, ...opts });

beforeAll(async () => {
  [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
  useMotoEnv(moto);
  slack.addChannel({ id: CHANNEL, name: 'security' });
  slack.addUser({ id: 'UANN0000001', name: 'ann', email: 'ann@example.com', tz: 'Europe/London' });
});
afterAll(async () => {
  await Promise.all([moto?.stop(), slack?.stop()]);
});
beforeEach(async () => {
  await moto.reset();
  slack.reset();
  dir = mkdtempSync(join(tmpdir(), 'mfa-bot-exit-'));
  // No root credentials (centralized root access): the root checks do not apply, so a clean account is possible.
  await moto.setRoot({ exists: false });
  await createUsers(motoClients(moto).iam, [{ name: 'fine', password: true, mfa: 'virtual' }]);
});

describe('run: the exit status tells a CI job what happened', () => {
  it('0 when everything was delivered and nothing fails; the same for bare `run` and `run --once`', async () => {
    const bare = await run(['--config', config()]);
    expect(bare.stderr).toBe('');
    expect(bare.code).toBe(0);
    expect(posts({ channel: CHANNEL })).toHaveLength(1);
    const once = await run(['--once', '--config', config()], { now: new Date(MONDAY.getTime() + 60_000) });
    expect(once.code).toBe(0);
  });

  it('1 when everything was delivered but a finding fails', async () => {
    await createUsers(motoClients(moto).iam, [{ name: 'ann', password: true }]);
    const r = await run(['--config', config('checks: { gracePeriodDays: 0 }\n')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Digest posted to C0SECURITY1/);
    expect(r.stdout).toMatch(/DMs: 1 sent, 0 failed/);
    expect(r.code).toBe(1);
    // The preview exits as the run would.
    expect((await run(['--dry-run', '--config', config('checks: { gracePeriodDays: 0 }\n')])).code).toBe(1);
    // The nudge pass has no scan of its own: it reports on delivery only.
    expect((await run(['--nudges-only', '--config', config('checks: { gracePeriodDays: 0 }\n')])).code).toBe(0);
  });

  it('3 when nothing fails but the account could not be read', async () => {
    await moto.failNext('GenerateCredentialReport', { code: 'AccessDenied', count: 20, message: 'not authorized' });
    const r = await run(['--config', config()]);
    expect(r.stderr).toMatch(/^mfa-bot: account \w+: AccessDenied/);
    expect(r.code).toBe(3);
  });

  it('4 when a delivery failed, even with failing findings', async () => {
    await createUsers(motoClients(moto).iam, [{ name: 'ann', password: true }]);
    slack.failNext('chat.postMessage', 'messages_tab_disabled', 1, {}, (p) => p.channel === 'UANN0000001');
    const r = await run(['--config', config('checks: { gracePeriodDays: 0 }\n')]);
    expect(r.stderr).toMatch(/DM to UANN0000001 .* failed: messages_tab_disabled/);
    expect(r.code).toBe(4);
  });
});

describe('run checks its settings before it creates anything', () => {
  it('without a token: exit 4, and no state file or directory', async () => {
    const r = await run(['--config', config()], { env: {} });
    expect(r.stderr).toMatch(/SLACK_BOT_TOKEN is not set/);
    expect(r.code).toBe(4);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    const nudges = await run(['--nudges-only', '--config', config()], { env: {} });
    expect(nudges.code).toBe(4);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('without a digest channel: names the config file, or says there is none', async () => {
    const path = config('', '');
    const r = await run(['--config', path]);
    expect(r.stderr).toBe(
      `mfa-bot: slack.digestChannel is not set in ${path}: set it to ` +
        `the ID of the channel for the digest (such as C0123456789)\n`,
    );
    expect(r.code).toBe(4);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    const none = await run([]);
    expect(none.stderr).toMatch(
      /^mfa-bot: no config file, so no slack\.digestChannel: copy mfa-bot\.example\.yml to mfa-bot\.yml/,
    );
    expect(none.code).toBe(4);
  });
});

describe('run says what happened, in words that count right', () => {
  it('one waiting message, people in grace apart from failing ones, and an unchanged rescan', async () => {
    const { iam } = motoClients(moto);
    // bob: failing and unmapped; new.hire: in grace and unmapped; ann: failing, her nudge waits for her hours.
    await createUsers(iam, [
      { name: 'bob', password: true },
      { name: 'new.hire', password: true },
      { name: 'ann', password: true },
    ]);
    await moto.setUserDates(MOTO_ACCOUNT, 'bob', {
      createDate: new Date('2025-01-01T00:00:00Z'),
      passwordLastChanged: new Date('2025-01-01T00:00:00Z'),
    });
    await moto.setUserDates(MOTO_ACCOUNT, 'ann', {
      createDate: new Date('2025-01-01T00:00:00Z'),
      passwordLastChanged: new Date('2025-01-01T00:00:00Z'),
    });
    await moto.setUserDates(MOTO_ACCOUNT, 'new.hire', {
      createDate: new Date('2030-03-03T00:00:00Z'),
      passwordLastChanged: new Date('2030-03-03T00:00:00Z'),
    });
    slack.addUser({ id: 'ULATE000001', name: 'late', email: 'late@example.com', tz: 'America/Los_Angeles' });
    await iam.send(
      new (await import('@aws-sdk/client-iam')).TagUserCommand({
        UserName: 'ann',
        Tags: [{ Key: 'email', Value: 'late@example.com' }],
      }),
    );
    const path = join(dir, 'people.yml');
    writeFileSync(
      path,
      `slack: { digestChannel: ${CHANNEL} }\nnudges: { enabled: ` +
        `true }\nstate: { path: ${JSON.stringify(statePath())} }\n`,
    );

    const first = await run(['--config', path]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain(
      '1 message waits for its time (cadence, snooze or working hours); the next at 2030-03-04T17:00:00.000Z.',
    );
    expect(first.stdout).toContain(
      '2 people to nudge have no Slack match (1 failing, 1 in grace); the digest lists them as unmapped.',
    );

    const again = await run(['--config', path], { now: new Date(MONDAY.getTime() + 60_000) });
    expect(again.stdout).toContain(`Nothing changed since the digest already in ${CHANNEL} (ts `);
    expect(again.stdout).not.toContain('already posted');
  });

  it('nudges off and nothing to send: no "0 DMs not sent"', async () => {
    const r = await run(['--config', config()]);
    expect(r.stdout).not.toContain('0 DMs');
    writeFileSync(
      join(dir, 'off.yml'),
      `slack: { digestChannel: ${CHANNEL} }\nnudges: { enabled: ` +
        `false }\nstate: { path: ${JSON.stringify(statePath())} }\n`,
    );
    const off = await run(['--config', join(dir, 'off.yml')], { now: new Date(MONDAY.getTime() + 60_000) });
    expect(off.stdout).toContain('Nudges are off (nudges.enabled: false).\n');
  });
});

describe('history', () => {
  it('--account for an account no stored scan covers says so, and lists the ones stored', async () => {
    const path = config();
    expect((await run(['--config', path])).code).toBe(0);
    const r = await runCli(['history', '--config', path, '--account', '999999999999']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`No stored scan covers account 999999999999. The stored scans cover ${MOTO_ACCOUNT}.\n`);
  });
});

describe('mfa-bot with no command', () => {
  it('is a usage error: the help on stderr, exit 2', async () => {
    const r = await runCli([]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: mfa-bot \[options\] \[command\]/);
    expect(r.code).toBe(2);
  });

  it('--help and `help` print the help on stdout and exit 0', async () => {
    for (const args of [['--help'], ['help'], ['run', '--help']]) {
      const r = await runCli(args);
      expect(r.stdout).toMatch(/^Usage: mfa-bot/);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
});
