import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { createUsers, enableVirtualMfa, MOTO_ACCOUNT, motoClients, useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';
import { runHistory } from './history-cli.js';
import { joinedRegExp } from '../support/regexp.js';

let moto: MotoServer;
let slack: FakeSlack;

/** Top-level posts: the digest's thread also holds the weekly coverage chart (digest.chart). */
const posts = (filter: { channel?: string } = {}) => slack.messages(filter).filter((m) => !m.thread_ts);
const CHANNEL = 'C0SECURITY1';
/** A Monday, 10:00 UTC: 11:00 in Berlin, 02:00 in Los Angeles. */
const MONDAY = new Date('2030-03-04T10:00:00Z');

let dir: string;
let configPath: string;
let statePath: string;

function writeConfig(extra = ''): void {
  writeFileSync(
    configPath,
    `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: ${CHANNEL} }\nidentity: { emailDomain: ` +
      `example.com }\nnudges: { enabled: true }\nstate: { path: ${JSON.stringify(statePath)} }\n${extra}`,
  );
}

const env = () => ({ SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url });
const run = (now: Date, ...args: string[]) =>
  runCli(['run', '--once', '--config', configPath, ...args], { env: env(), now });
const dms = (user: string) => slack.dmsTo(user);
const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
  useMotoEnv(moto);
  slack.addChannel({ id: CHANNEL, name: 'security' });
  slack.addUser({ id: 'UANN0000001', name: 'ann', email: 'ann@example.com', tz: 'Europe/Berlin' });
  slack.addUser({ id: 'ULAX0000001', name: 'lax', email: 'lax@example.com', tz: 'America/Los_Angeles' });
  slack.addUser({ id: 'UFINE000001', name: 'fine', email: 'fine@example.com' });
});
afterAll(async () => {
  await Promise.all([moto?.stop(), slack?.stop()]);
});
beforeEach(async () => {
  await moto.reset();
  slack.reset();
  dir = mkdtempSync(join(tmpdir(), 'mfa-bot-state-'));
  configPath = join(dir, 'mfa-bot.yml');
  statePath = join(dir, 'data', 'state.db');
  writeConfig();
  await createUsers(motoClients(moto).iam, [
    { name: 'ann', password: true },
    { name: 'lax', password: true },
    { name: 'fine', password: true, mfa: 'virtual' },
    { name: 'ghost', password: true, mfa: 'virtual' },
  ]);
});

describe('run --once with state', () => {
  it('creates the state file, and a second run sends no DM twice and does not repost the digest', async () => {
    const first = await run(MONDAY);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1); // delivered, and people are failing
    expect(existsSync(statePath)).toBe(true);
    expect(posts({ channel: CHANNEL })).toHaveLength(1);
    expect(dms('UANN0000001')).toHaveLength(1);
    // 02:00 in Los Angeles: that nudge waits for Monday 09:00 there.
    expect(dms('ULAX0000001')).toHaveLength(0);
    expect(first.stdout).toMatch(/1 message waits for its time .* the next at 2030-03-04T17:00:00.000Z/);
    expect(JSON.stringify(posts({ channel: CHANNEL })[0]!.blocks)).toContain('this is the first scan');
    // Everyone with a console login is mapped and remembered, people with MFA too (for `/mfa-check me`),
    // but only people who must be messaged may cost a users.lookupByEmail (ghost@ is in no member list).
    const state = SqliteStateStore.open(statePath, { mode: 'snapshot' });
    expect((await state.identitiesOf('UFINE000001')).map((i) => i.userName)).toEqual(['fine']);
    await state.close();
    expect(slack.countCalls('users.lookupByEmail')).toBe(0);

    const second = await run(new Date(MONDAY.getTime() + 60_000));
    expect(second.code).toBe(1);
    expect(second.stdout).toContain(`Nothing changed since the digest already in ${CHANNEL}`);
    expect(posts({ channel: CHANNEL })).toHaveLength(1);
    expect(dms('UANN0000001')).toHaveLength(1);
    expect(second.stdout).toMatch(/DMs: 0 sent, 0 failed/);

    // Later that day in Los Angeles: only the waiting nudge goes out.
    const afternoon = await run(new Date('2030-03-04T17:30:00Z'));
    expect(afternoon.code).toBe(1);
    expect(dms('ULAX0000001')).toHaveLength(1);
    expect(dms('UANN0000001')).toHaveLength(1);
  });

  it('reminds after the cadence, thanks and updates the nudge once MFA is on', async () => {
    await run(MONDAY);
    expect(dms('UANN0000001')).toHaveLength(1);
    // Two days later (Wednesday 11:00 in Berlin): the first reminder.
    await run(addDays(MONDAY, 2));
    const ann = dms('UANN0000001');
    expect(ann).toHaveLength(2);
    expect(ann[1]!.text).toMatch(/^1st reminder/);

    const { iam } = motoClients(moto);
    await enableVirtualMfa(iam, 'ann');
    const fixed = await run(addDays(MONDAY, 3));
    expect(fixed.code).toBe(1);
    const after = dms('UANN0000001');
    expect(after).toHaveLength(3);
    expect(after[2]!.text).toMatch(/^Thank you!/);
    // The last nudge (the reminder) now says done and has no buttons left.
    expect(after[1]!.edited).toBe(true);
    expect(after[1]!.text).toMatch(/^Done: MFA is on for ann/);
    expect(after[0]!.edited).toBe(false);
    // The digest says what changed.
    const digests = posts({ channel: CHANNEL });
    expect(JSON.stringify(digests.at(-1)!.blocks)).toMatch(/Fixed \(1\):\* <@UANN0000001> `ann`/);

    await run(addDays(MONDAY, 4));
    expect(dms('UANN0000001')).toHaveLength(3);

    const log = await runHistory(['history', '--config', configPath, '--user', 'ann', '--format', 'json']);
    expect(log.code).toBe(0);
    const events = (JSON.parse(log.stdout) as Array<{ event: string }>).map((e) => e.event);
    expect(events).toEqual(['failing', 'nudged', 'nudged', 'resolved', 'updated', 'thanked']);

    const compliance = await runHistory(['history', '--config', configPath, '--format', 'csv']);
    expect(compliance.stdout.trim().split('\n')).toHaveLength(1 + 4);
    expect(compliance.stdout).toContain(`,${MOTO_ACCOUNT},`);
  });

  it('--dry-run creates no state file, and later never changes it nor uses up a nudge', async () => {
    const preview = await run(MONDAY, '--dry-run');
    expect(preview.code).toBe(1);
    expect(existsSync(statePath)).toBe(false);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(preview.stdout).toMatch(/DM → UANN0000001 \(IAM user ann in 123456789012; first nudge\)/);
    expect(preview.stdout).toMatch(
      joinedRegExp(
        /WAITING \(1\)[\s\S]*nudge-1 for lax in 123456789012 → ULAX0000001: /,
        /2030-03-04 17:00 UTC \(Mon 09:00 America\/Los_Angeles\)/,
      ),
    );

    await run(MONDAY);
    const before = fileHash(statePath);
    const files = readdirSync(join(dir, 'data'));
    expect(files).toEqual(['state.db']);
    const again = await run(addDays(MONDAY, 2), '--dry-run');
    // Not even SQLite's -wal and -shm files appear beside it.
    expect(readdirSync(join(dir, 'data'))).toEqual(files);
    expect(again.stdout).toMatch(/DM → UANN0000001 \(IAM user ann in 123456789012; 1st reminder\)/);
    expect(again.stdout).toContain('[nothing changed since this digest was posted (ts ');
    expect(fileHash(statePath)).toBe(before);
    // The preview did not consume the reminder: the real run still sends it.
    await run(addDays(MONDAY, 2));
    expect(dms('UANN0000001')).toHaveLength(2);
  });

  it('stops with a message naming a corrupt state file, and leaves it as it was', async () => {
    writeFileSync(join(dir, 'garbage.db'), 'not a database, just some text that someone saved here'.repeat(200));
    statePath = join(dir, 'garbage.db');
    writeConfig();
    const before = fileHash(statePath);
    const r = await run(MONDAY);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`state file ${statePath}: is not an SQLite database`);
    expect(slack.countCalls('chat.postMessage')).toBe(0);
    expect(fileHash(statePath)).toBe(before);
  });
});

describe('finding changes on EventBridge', () => {
  it(
    'publishes what changed since the previous scan to the configured bus, ' + 'and nothing for an unchanged rerun',
    async () => {
      const { EventBridgeClient, CreateEventBusCommand } = await import('@aws-sdk/client-eventbridge');
      const events = new EventBridgeClient({
        endpoint: moto.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      await events.send(new CreateEventBusCommand({ Name: 'mfa-findings' }));
      writeConfig('events: { busName: mfa-findings }\n');
      const first = await run(MONDAY);
      // ann and lax fail, and the root user has no MFA: newly failing, as there is no previous scan.
      expect(first.stdout).toContain('Finding changes: 4 published to EventBridge bus mfa-findings.');
      const put = (await moto.calls()).events?.PutEvents ?? 0;
      expect(put).toBe(1);
      const second = await run(new Date(MONDAY.getTime() + 3_600_000));
      expect(second.stdout).toContain('Finding changes: 0 published to EventBridge bus mfa-findings.');
      expect((await moto.calls()).events?.PutEvents ?? 0).toBe(put);
    },
  );
});
