// An IAM tag must not outrank the admin or quietly redirect a colleague's nudges: end to end, `run --once`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { createUsers, MOTO_ACCOUNT, motoClients, tagUser, useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';

let moto: MotoServer;
let slack: FakeSlack;
const CHANNEL = 'C0SECURITY1';
const ANN = 'UANN0000001';
const EVE = 'UEVE0000001';
let dir: string;

function config(identity = ''): string {
  const path = join(dir, 'mfa-bot.yml');
  writeFileSync(
    path,
    `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: ${CHANNEL} }\n` +
      `identity: { emailDomain: example.com${identity} }\n` +
      'nudges: { enabled: true, ' +
      "workingHours: { start: '00:00', end: '24:00', days: [sun, mon, tue, wed, thu, fri, sat] } }\n" +
      `state: { path: ${JSON.stringify(join(dir, 'state.db'))} }\n`,
  );
  return path;
}

const run = (args: string[], at: Date) =>
  runCli(['run', '--once', '--config', join(dir, 'mfa-bot.yml'), ...args], {
    env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url },
    now: at,
  });
/** The digests: top-level posts (the thread holds the weekly coverage chart). */
const digests = () =>
  slack
    .messages({ channel: CHANNEL })
    .filter((m) => !m.thread_ts)
    .map((m) => JSON.stringify(m.blocks));

beforeAll(async () => {
  [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
  useMotoEnv(moto);
  slack.addChannel({ id: CHANNEL, name: 'security' });
  slack.addUser({ id: ANN, name: 'ann', email: 'ann@example.com' });
  slack.addUser({ id: EVE, name: 'eve', email: 'eve@example.com' });
});
afterAll(async () => {
  await Promise.all([moto?.stop(), slack?.stop()]);
});
beforeEach(async () => {
  await moto.reset();
  slack.reset();
  dir = mkdtempSync(join(tmpdir(), 'mfa-bot-identity-'));
  await createUsers(motoClients(moto).iam, [{ name: 'ann', password: true, tags: { email: 'ann@example.com' } }]);
});

describe('run --once: identity conflicts', () => {
  it(
    'a slack tag added against the e-mail: no DM to either, the ' +
      'digest and the dry run say why, the stored mapping is forgotten',
    async () => {
      config();
      const first = await run([], new Date('2030-03-04T10:00:00Z'));
      expect(first.code).toBe(1); // delivered, and a console user still fails (run exits like scan)
      expect(slack.dmsTo(ANN)).toHaveLength(1);

      // Someone allowed iam:TagUser points ann's nudges at eve.
      await tagUser(motoClients(moto).iam, 'ann', { slack: EVE });
      const preview = await run(['--dry-run'], new Date('2030-03-06T10:00:00Z'));
      expect(preview.code).toBe(1); // delivered, and a console user still fails (run exits like scan)
      expect(preview.stdout).toMatch(
        /1 identity conflict: no DM about this IAM user until `identity.map` names the right Slack user/,
      );
      expect(preview.stdout).toContain(
        `ann in ${MOTO_ACCOUNT}: tried slack-tag:${EVE} → ${EVE}, email-tag:ann@example.com → ${ANN}`,
      );

      const second = await run([], new Date('2030-03-06T10:00:00Z'));
      expect(second.code).toBe(1); // delivered, and a console user still fails (run exits like scan)
      expect(slack.dmsTo(EVE)).toHaveLength(0);
      expect(slack.dmsTo(ANN)).toHaveLength(1);
      const state = SqliteStateStore.open(join(dir, 'state.db'), { mode: 'snapshot' });
      // Neither holds ann's buttons nor sees her login in `/mfa-check me`.
      expect(await state.identityOf(MOTO_ACCOUNT, 'ann')).toBeUndefined();
      await state.close();

      // The admin settles it: identity.map wins over the tag, and the reminder goes to ann.
      config(', map: { ann: UANN0000001 }');
      const third = await run([], new Date('2030-03-06T11:00:00Z'));
      expect(third.code).toBe(1); // delivered, and a console user still fails (run exits like scan)
      expect(slack.dmsTo(EVE)).toHaveLength(0);
      expect(slack.dmsTo(ANN)).toHaveLength(2);
    },
  );

  it('the posted digest lists the conflict, with both members', async () => {
    await tagUser(motoClients(moto).iam, 'ann', { slack: EVE });
    config();
    const r = await run([], new Date('2030-03-04T10:00:00Z'));
    expect(r.code).toBe(1); // delivered, and a console user still fails (run exits like scan)
    expect(slack.messages().filter((m) => m.channelKind === 'im')).toHaveLength(0);
    expect(digests()).toHaveLength(1);
    expect(digests()[0]).toContain('1 identity conflict');
    expect(digests()[0]).toContain(`→ <@${EVE}>`);
    expect(digests()[0]).toContain(`→ <@${ANN}>`);
  });

  it('identity.trustSlackIdTag: false: the slack tag is ignored and the e-mail decides', async () => {
    await tagUser(motoClients(moto).iam, 'ann', { slack: EVE });
    config(', trustSlackIdTag: false');
    const r = await run([], new Date('2030-03-04T10:00:00Z'));
    expect(r.code).toBe(1); // delivered, and a console user still fails (run exits like scan)
    expect(slack.dmsTo(ANN)).toHaveLength(1);
    expect(slack.dmsTo(EVE)).toHaveLength(0);
    expect(digests().at(-1)).not.toContain('identity conflict');
  });
});
