import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecurityHubClient } from '../../src/aws/security-hub.js';
import { addDays } from '../../src/domain/dates.js';
import { createUsers, enableVirtualMfa, MOTO_ACCOUNT, motoClients, useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';

let moto: MotoServer;
let slack: FakeSlack;
const CHANNEL = 'C0SECURITY1';
const MONDAY = new Date('2030-03-04T10:00:00Z');

beforeAll(async () => {
  [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
  useMotoEnv(moto);
  slack.addChannel({ id: CHANNEL, name: 'security' });
  slack.addUser({ id: 'UANN0000001', name: 'ann', email: 'ann@example.com', tz: 'Europe/Berlin' });
});
afterAll(async () => {
  await Promise.all([moto?.stop(), slack?.stop()]);
});

describe('run --once with securityHub.enabled', () => {
  it(
    'imports after each scan with the nudge history from the state, ' + 'and archives the finding once MFA is on',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-hub-'));
      const config = join(dir, 'mfa-bot.yml');
      writeFileSync(
        config,
        `checks: { gracePeriodDays: 0, rootHardwareMfa: false }\nslack: { digestChannel: ${CHANNEL} }\n` +
          `identity: { emailDomain: example.com }\nnudges: { enabled: true }\n` +
          `state: { path: ${JSON.stringify(join(dir, 'state.db'))} }\n` +
          `securityHub: { enabled: true, region: eu-west-1 }\n`,
      );
      await createUsers(motoClients(moto).iam, [{ name: 'ann', password: true }]);
      const run = (now: Date) =>
        runCli(['run', '--once', '--config', config], {
          env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url },
          now,
        });
      const hub = createSecurityHubClient({
        endpoint: moto.endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      const ann = async () =>
        ((await hub.send(new GetFindingsCommand({}))).Findings ?? []).find(
          (f: AwsSecurityFinding) => f.Id === `mfa-bot/${MOTO_ACCOUNT}/user-console-mfa/ann`,
        );

      const first = await run(MONDAY);
      expect(first.stderr).toBe('');
      expect(first.stdout).toContain(
        `under arn:aws:securityhub:eu-west-1:${MOTO_ACCOUNT}:product/${MOTO_ACCOUNT}/default`,
      );
      expect(slack.dmsTo('UANN0000001')).toHaveLength(1);
      expect((await ann())?.ProductFields).toMatchObject({
        'mfa-bot/nudges': '1',
        'mfa-bot/lastNudgeAt': MONDAY.toISOString(),
      });

      await run(addDays(MONDAY, 2));
      expect(slack.dmsTo('UANN0000001')).toHaveLength(2);
      expect((await ann())?.ProductFields).toMatchObject({
        'mfa-bot/nudges': '2',
        'mfa-bot/lastNudgeAt': addDays(MONDAY, 2).toISOString(),
      });

      const { iam } = motoClients(moto);
      await enableVirtualMfa(iam, 'ann');
      const fixed = await run(addDays(MONDAY, 3));
      expect(fixed.stdout).toMatch(/Security Hub: \d+ findings imported \(\d+ open, 1 resolved\)/);
      expect(await ann()).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } });
    },
  );
});
