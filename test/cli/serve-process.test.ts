import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { createUsers, motoClients } from '../support/aws.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';
import { ResponseCatcher } from '../bot/harness/response-catcher.js';
import { slashCommand } from '../bot/harness/payloads.js';
import { signedPost } from '../bot/harness/sign.js';

const SECRET = 'serve-process-signing-secret';
const CHANNEL = 'C0DIGEST001';
const ANN = 'UANN0000001';
const ADMIN = 'UADMIN00001';

/** `mfa-bot serve` as a user runs it (`npm start`): the built bin, its own process, the real state file. */
describe.runIf(existsSync('dist/cli/main.js'))('mfa-bot serve (the process)', () => {
  let moto: MotoServer;
  let slack: FakeSlack;
  let responses: ResponseCatcher;
  let child: ChildProcessWithoutNullStreams;
  let stderr = '';
  let dir: string;

  const waitForLog = async (pattern: RegExp, timeoutMs = 20_000) => {
    const started = Date.now();
    while (!pattern.test(stderr)) {
      if (Date.now() - started > timeoutMs) throw new Error(`no log line matching ${pattern} in:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return pattern.exec(stderr)!;
  };

  beforeAll(async () => {
    [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
    responses = new ResponseCatcher();
    await responses.start();
    slack.addChannel({ id: CHANNEL, name: 'security' });
    slack.addUser({ id: ANN, name: 'ann', email: 'ann@example.com' });
    slack.addUser({ id: ADMIN, name: 'admin', email: 'admin@example.com' });
    await createUsers(motoClients(moto).iam, [
      { name: 'ann.smith', password: true, tags: { email: 'ann@example.com' } },
    ]);
    dir = mkdtempSync(join(tmpdir(), 'mfa-bot-serve-'));
    writeFileSync(
      join(dir, 'mfa-bot.yml'),
      `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: ${CHANNEL}, admins: [${ADMIN}] ` +
        `}\nnudges: { enabled: true, workingHours: { start: '00:00', end: '23:59', days: [mon, ` +
        `tue, wed, thu, fri, sat, sun] } }\nstate: { path: ${join(dir, 'state.db')} }\n`,
    );
    child = spawn(process.execPath, ['bin/mfa-bot.js', 'serve', '--config', join(dir, 'mfa-bot.yml')], {
      env: {
        ...process.env,
        ...moto.env,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_API_URL: slack.url,
        SLACK_SIGNING_SECRET: SECRET,
        PORT: '0',
        SLACK_APP_TOKEN: '',
      },
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await Promise.all([moto?.stop(), slack?.stop(), responses?.stop()]);
  });

  it('scans at first start into the state file, answers /mfa-check from it, and stops cleanly on SIGTERM', async () => {
    const [, port] = await waitForLog(/listening on [^:]+:(\d+)/);
    await waitForLog(/scan \d+: digest posted/);
    expect(slack.messages({ channel: CHANNEL }).filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(slack.dmsTo(ANN)).toHaveLength(1);

    const ack = await signedPost(`http://127.0.0.1:${port}/slack/events`, SECRET, {
      form: slashCommand('me', ANN, responses.url('me')),
    });
    expect(ack.status).toBe(200);
    const [answer] = await responses.waitFor('me');
    expect(JSON.stringify(answer!.body)).toContain('ann.smith');

    // An admin's scan on demand goes through the scheduler and answers when it is done.
    await signedPost(`http://127.0.0.1:${port}/slack/events`, SECRET, {
      form: slashCommand('scan', ADMIN, responses.url('scan')),
    });
    const [started, done] = await responses.waitFor('scan', 2);
    expect(JSON.stringify(started!.body)).toContain('Scanning every account now');
    expect(JSON.stringify(done!.body)).toMatch(
      /Scan finished.*Nothing changed since the digest posted in <#C[0-9A-Z]+>/,
    );
    expect(stderr.match(/scan and digest started/g)).toHaveLength(2);
    expect(slack.messages({ channel: CHANNEL }).filter((m) => !m.thread_ts)).toHaveLength(1);

    const bad = await signedPost(`http://127.0.0.1:${port}/slack/events`, 'wrong-secret', {
      form: slashCommand('me', ANN, responses.url('bad')),
    });
    expect(bad.status).toBe(401);
    expect(stderr).not.toContain(slack.botToken);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const store = SqliteStateStore.open(join(dir, 'state.db'), { mode: 'snapshot', now: new Date() });
    expect(
      (await store.latestScan())?.scan.accounts[0]?.verdicts.some(
        (v) => v.principal === 'ann.smith' && v.status === 'fail',
      ),
    ).toBe(true);
    await store.close();
  });
});
