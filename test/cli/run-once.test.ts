import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
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
const CHANNEL = 'C0SECURITY1';

/** Writes a config file and returns its path. */
function config(opts: { channel?: string; nudges?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-run-'));
  const path = join(dir, 'mfa-bot.yml');
  writeFileSync(
    path,
    `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: ${opts.channel ?? CHANNEL} }\n` +
      `identity:\n  emailDomain: example.com\n  map: { mapped-by-config: UMAPPED001 }\n` +
      // Working hours around the clock: these tests run at any hour; test/cli/run-state.test.ts covers the hours.
      `nudges: { enabled: ${opts.nudges ?? true}, ` +
      `workingHours: { start: '00:00', end: '24:00', days: [sun, mon, tue, wed, thu, fri, sat] } }\n` +
      `state: { path: ${JSON.stringify(join(dir, 'state.db'))} }\n`,
  );
  return path;
}

const env = () => ({ SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url });

beforeAll(async () => {
  [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
  useMotoEnv(moto);
  slack.addChannel({ id: CHANNEL, name: 'security' });
  slack.addUser({ id: 'UTAGGED0001', name: 'tagged' });
  slack.addUser({ id: 'UEMAILTAG01', name: 'ann', email: 'ann@example.com', tz: 'Europe/Berlin' });
  slack.addUser({ id: 'UUSERNAME01', name: 'carol', email: 'carol@example.com' });
  slack.addUser({ id: 'UDOMAIN0001', name: 'dave', email: 'dave@example.com' });
  slack.addUser({ id: 'UMAPPED001', name: 'mapped' });
  slack.addUser({ id: 'UGONE000001', name: 'gone', email: 'gone@example.com', deleted: true });
  slack.addUser({ id: 'UBOTLIKE001', name: 'botlike', email: 'robot@example.com', is_bot: true });
});
afterAll(async () => {
  await Promise.all([moto?.stop(), slack?.stop()]);
});
beforeEach(async () => {
  await moto.reset();
  slack.reset();
  const { iam } = motoClients(moto);
  await createUsers(iam, [
    { name: 'tagged', password: true, tags: { slack: 'UTAGGED0001' } },
    { name: 'ann.smith', password: true, tags: { EMAIL: 'Ann@Example.com' } },
    { name: 'carol@example.com', password: true },
    { name: 'dave', password: true },
    { name: 'mapped-by-config', password: true },
    { name: 'gone', password: true },
    { name: 'robot', password: true },
    { name: 'fine', password: true, mfa: 'virtual' },
  ]);
});

describe('mfa-bot run --once', () => {
  it('posts the digest and DMs every failing user it can map, by each identity rule', async () => {
    await moto.resetCalls();
    const r = await runCli(['run', '--once', '--config', config()], { env: env(), now: new Date() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // delivered, and people are failing
    // Tags are read for the seven failing users only, never for `fine`, who has MFA.
    expect((await moto.calls()).iam!.ListUserTags).toBe(7);
    const digest = posts({ channel: CHANNEL });
    expect(digest).toHaveLength(1);
    expect(JSON.stringify(digest[0]!.blocks)).toContain(MOTO_ACCOUNT);
    // digest.chart defaults to weekly: the first digest of the week carries the coverage chart in its thread.
    expect(slack.files().map((f) => [f.filename.endsWith('.png'), f.thread_ts])).toEqual([[true, digest[0]!.ts]]);
    expect(r.stdout).toContain("Coverage chart attached in the digest's thread.");

    const dmUsers = slack
      .messages()
      .filter((m) => m.channelKind === 'im')
      .map((m) => m.dmUser)
      .sort();
    expect(dmUsers).toEqual(['UDOMAIN0001', 'UEMAILTAG01', 'UMAPPED001', 'UTAGGED0001', 'UUSERNAME01']);
    const ann = slack.dmsTo('UEMAILTAG01')[0]!;
    expect(JSON.stringify(ann.blocks)).toContain('ann.smith');
    expect(JSON.stringify(ann.blocks)).toContain(`https://${MOTO_ACCOUNT}.signin.aws.amazon.com/console`);

    // Deactivated people and bots never match; they show as unmapped instead.
    expect(slack.dmsTo('UGONE000001')).toHaveLength(0);
    expect(slack.dmsTo('UBOTLIKE001')).toHaveLength(0);
    expect(r.stdout).toMatch(/DMs: 5 sent, 0 failed/);
    expect(r.stdout).toMatch(/2 people to nudge have no Slack match \(2 failing, 0 in grace\)/);
    // One users.list pass, read to the end: it holds every member's address, so an address it lacks (gone@ is
    // deactivated, robot@ a bot, mapped-by-config is mapped by the config before any e-mail) costs no lookupByEmail.
    expect(slack.countCalls('users.list')).toBe(1);
    expect(slack.countCalls('users.lookupByEmail')).toBe(0);
  });

  it('escapes hostile IAM names and tags before they reach Slack', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [{ name: 'x@evil.example', password: true, tags: { email: 'ann@example.com' } }]);
    // IAM names cannot contain < or >, but tag values can; the digest shows tag-derived and AWS text escaped.
    await createUsers(iam, [{ name: 'evil', password: true, tags: { slack: '<!channel>' } }]);
    const r = await runCli(['run', '--once', '--config', config()], { env: env(), now: new Date() });
    expect(r.code).toBe(1);
    const all = JSON.stringify(slack.messages().map((m) => [m.text, m.blocks]));
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<!here>');
  });

  it('waits out 429s and loses nothing', async () => {
    slack.rateLimitNext('chat.postMessage', 1, 3);
    const started = Date.now();
    const r = await runCli(['run', '--once', '--config', config()], { env: env(), now: new Date() });
    expect(r.code).toBe(1);
    expect(slack.rateLimitedCount('chat.postMessage')).toBe(3);
    expect(posts()).toHaveLength(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('keeps going when one recipient fails, and exits 4 naming it', async () => {
    slack.failNext('chat.postMessage', 'messages_tab_disabled', 1, {}, (p) => p.channel === 'UEMAILTAG01');
    const r = await runCli(['run', '--once', '--config', config()], { env: env(), now: new Date() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/DM to UEMAILTAG01 \(IAM user ann.smith in 123456789012\) failed: messages_tab_disabled/);
    expect(slack.messages().filter((m) => m.channelKind === 'im')).toHaveLength(4);
    expect(posts({ channel: CHANNEL })).toHaveLength(1);
  });

  it('says what to do when the digest channel is wrong, and still sends the DMs', async () => {
    slack.failNext('chat.postMessage', 'not_in_channel', 1, {}, (p) => p.channel === CHANNEL);
    const notIn = await runCli(['run', '--once', '--config', config()], { env: env(), now: new Date() });
    expect(notIn.code).toBe(4);
    expect(notIn.stderr).toContain(
      'the digest was not posted: not_in_channel (invite the bot to the channel: /invite @mfa-bot)',
    );
    expect(slack.messages().filter((m) => m.channelKind === 'im')).toHaveLength(5);

    const unknown = await runCli(['run', '--once', '--config', config({ channel: 'C0NOSUCH001' })], {
      env: env(),
      now: new Date(),
    });
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/the digest was not posted: channel_not_found \(check slack\.digestChannel/);
  });

  it('fails fast with a clear message on a bad token, and never prints the token', async () => {
    const r = await runCli(['run', '--once', '--config', config()], {
      env: { ...env(), SLACK_BOT_TOKEN: 'xoxb-not-a-real-token' },
      now: new Date(),
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Slack rejected the bot token: invalid_auth/);
    expect(r.stderr + r.stdout).not.toContain('xoxb-not-a-real-token');
    expect(slack.countCalls('chat.postMessage')).toBe(0);
    const none = await runCli(['run', '--once', '--config', config()], { env: {}, now: new Date() });
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/SLACK_BOT_TOKEN is not set/);
  });

  it('says Slack cannot be reached, naming the URL, after one try, instead of blaming the token', async () => {
    // A host that accepts connections and drops them: what a proxy or a dead endpoint does.
    let connections = 0;
    const dead = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/api/`;
    try {
      const r = await runCli(['run', '--once', '--config', config()], {
        env: { ...env(), SLACK_API_URL: url },
        now: new Date(),
      });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(`cannot reach Slack at ${url}`);
      expect(r.stderr).not.toContain('rejected the bot token');
      expect(r.stderr).not.toMatch(/slack warn/);
      expect(connections).toBe(1);
    } finally {
      await new Promise((r) => dead.close(r));
    }
  });

  it('--dry-run sends nothing and prints every message with its recipient', async () => {
    const off = config({ nudges: false });
    const r = await runCli(['run', '--once', '--dry-run', '--config', off], { env: env(), now: new Date() });
    expect(r.code).toBe(1);
    expect(slack.countCalls('chat.postMessage')).toBe(0);
    expect(slack.countCalls('files.getUploadURLExternal')).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`DIGEST → channel ${CHANNEL}`));
    expect(r.stdout).toMatch(/DM → UEMAILTAG01 \(IAM user ann\.smith in 123456789012; first nudge\)/);
    expect(r.stdout).toMatch(/NOT MAPPED TO SLACK \(2\)/);
    expect(r.stdout).toContain(
      '5 DMs planned. Nudges are off (nudges.enabled: false): a real run would post only the digest.',
    );
  });

  it('--dry-run --format json gives Block Kit JSON per recipient, even without a token', async () => {
    const r = await runCli(['run', '--once', '--dry-run', '--format', 'json', '--config', config()], {
      env: {},
      now: new Date(),
    });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.digest.channel).toBe(CHANNEL);
    expect(Array.isArray(doc.digest.blocks)).toBe(true);
    // Without a token only the Slack-ID tag and the config map can be used.
    expect(doc.dms.map((d: { recipient: string }) => d.recipient).sort()).toEqual(['UMAPPED001', 'UTAGGED0001']);
    expect(doc.dms[0].blocks.some((b: { type: string }) => b.type === 'actions')).toBe(true);
    expect(r.stderr).toMatch(/SLACK_BOT_TOKEN is not set/);
  });
});

describe('mfa-bot run --nudges-only (the hourly pass, for an outside cron)', () => {
  it('sends what fell due since the last run, from the stored scan: no AWS calls, no digest', async () => {
    const path = config();
    const monday = new Date('2026-11-23T10:00:00Z');
    expect((await runCli(['run', '--once', '--config', path], { env: env(), now: monday })).code).toBe(1);
    const digests = posts({ channel: CHANNEL }).length;
    const annDms = slack.dmsTo('UEMAILTAG01').length;
    await moto.resetCalls();

    const wednesday = new Date(monday.getTime() + 2 * 86_400_000);
    const preview = await runCli(['run', '--nudges-only', '--dry-run', '--config', path], {
      env: env(),
      now: wednesday,
    });
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/DM → UEMAILTAG01 \(IAM user ann\.smith in 123456789012; 1st reminder\)/);
    expect(preview.stdout).not.toMatch(/DIGEST/);
    expect(slack.dmsTo('UEMAILTAG01')).toHaveLength(annDms);

    const r = await runCli(['run', '--nudges-only', '--config', path], { env: env(), now: wednesday });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/DMs: 5 sent, 0 failed/);
    expect(slack.dmsTo('UEMAILTAG01').at(-1)!.text).toMatch(/1st reminder/);
    expect(posts({ channel: CHANNEL })).toHaveLength(digests);
    expect((await moto.calls()).iam ?? {}).toEqual({});
  });

  it('before the first scan there is nothing to do; without a token it refuses to send', async () => {
    const path = config();
    const none = await runCli(['run', '--nudges-only', '--config', path], { env: env(), now: new Date() });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/Nothing to do: no scan is stored yet/);
    const noToken = await runCli(['run', '--nudges-only', '--config', path], { env: {}, now: new Date() });
    expect(noToken.code).toBe(4);
    expect(noToken.stderr).toMatch(/SLACK_BOT_TOKEN is not set/);
  });
});
