import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assumeAccountClients, createOrganizationsClient } from '../../src/aws/organization.js';
import { createUsers, MOTO_ACCOUNT, motoClients, useMotoEnv, motoClientConfig } from '../support/aws.js';
import { createStateTableInput } from '../../src/store/dynamodb/table.js';
import { runCli } from '../support/cli.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';

let moto: MotoServer;
let slack: FakeSlack;
const members: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-org-'));

function config(extra = ''): string {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(
    path,
    `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: C0DIGEST001 }\n` +
      `state: { path: ${join(dir, 'state.db')} }\n${extra}`,
  );
  return path;
}

beforeAll(async () => {
  [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
  useMotoEnv(moto);
  slack.addUser({ id: 'UDEV0000001', name: 'dev', email: 'dev@example.com' });
  slack.addChannel({ id: 'C0DIGEST001', name: 'security' });
  const aws = motoClientConfig(moto);
  const org = createOrganizationsClient(aws);
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  for (const name of ['dev', 'prod']) {
    const r = await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
    members.push(r.CreateAccountStatus!.AccountId!);
  }
  const dev = await assumeAccountClients(
    motoClients(moto),
    members[0]!,
    { roleName: 'MfaBotAudit', partition: 'aws' },
    aws,
  );
  await createUsers(dev.iam, [{ name: 'dev.person', password: true, tags: { email: 'dev@example.com' } }]);
});
afterAll(async () => {
  await Promise.all([moto?.stop(), slack?.stop()]);
});

describe('organization-wide scans from the CLI', () => {
  it('scan --org scans the management account and every member', async () => {
    const r = await runCli(
      ['scan', '--org', '--format', 'json', '--config', config('organization: { roleName: MfaBotAudit }\n')],
      { now: new Date() },
    );
    const doc = JSON.parse(r.stdout);
    expect(doc.accounts.map((a: { accountId: string }) => a.accountId).sort()).toEqual(
      [MOTO_ACCOUNT, ...members].sort(),
    );
    expect(doc.findings.find((f: { principal: string }) => f.principal === 'dev.person')).toMatchObject({
      accountId: members[0],
      status: 'fail',
    });
    expect(r.code).toBe(1);
  });

  it('--account narrows an organization scan to its accounts, and refuses one the scan did not cover', async () => {
    const org = config('organization: { roleName: MfaBotAudit }\n');
    const cols = ['--format', 'csv', '--columns', 'accountId,principal,status'];
    const dev = await runCli(['scan', '--org', '--config', org, '--account', members[0]!, ...cols], {
      now: new Date(),
    });
    const rows = dev.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toContain(`${members[0]},dev.person,fail`);
    expect(rows.every((r) => r.startsWith(`${members[0]},`))).toBe(true);
    expect(dev.code).toBe(1);
    const none = await runCli(['scan', '--org', '--config', org, '--account', '999999999999'], { now: new Date() });
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toContain('--account 999999999999: not in this scan; the scan covered accounts ');
    for (const id of [MOTO_ACCOUNT, ...members]) expect(none.stderr).toContain(id);
  });

  it('--org without an organization section is a usage error that says what to add', async () => {
    const r = await runCli(['scan', '--org', '--config', config()], { now: new Date() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--org needs an `organization` section/);
  });

  it('rejects a bad organization section by key', async () => {
    const r = await runCli(
      ['scan', '--org', '--config', config('organization: { roleName: "not a role", concurrency: 0 }\n')],
      { now: new Date() },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/organization\.roleName: must be an IAM role name/);
    expect(r.stderr).toMatch(/organization\.concurrency/);
  });

  it(
    'run --once covers the organization too: ' + 'tags are read in the member account and its people are nudged',
    async () => {
      const r = await runCli(
        [
          'run',
          '--once',
          '--dry-run',
          '--format',
          'json',
          '--config',
          config('organization: { roleName: MfaBotAudit }\nnudges: { enabled: true }\n'),
        ],
        {
          env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url },
          now: new Date(),
        },
      );
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as {
        dms: Array<{ recipient: string; accountId: string; userName: string }>;
        waiting: Array<{ recipient: string; accountId: string; userName: string }>;
      };
      // Due now, or waiting for the person's working hours: either way planned for them, in the member account.
      const planned = [...doc.dms, ...doc.waiting].find((m) => m.recipient === 'UDEV0000001');
      expect(planned).toMatchObject({ accountId: members[0], userName: 'dev.person' });
    },
  );
});

describe('digest routing (slack.routes)', () => {
  it('posts each routed channel a digest of just its accounts, once per scan, besides the full digest', async () => {
    slack.reset();
    slack.addChannel({ id: 'C0DEVTEAM01', name: 'dev-team' });
    const path = join(dir, 'routes.yml');
    writeFileSync(
      path,
      `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: C0DIGEST001, routes: ` +
        `[{ channel: C0DEVTEAM01, accounts: ["${members[0]}"] }] }\nstate: { path: ` +
        `${join(dir, 'routes.db')} }\norganization: { roleName: MfaBotAudit }\n`,
    );
    const env = { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url };
    const first = await runCli(['run', '--once', '--config', path], { env, now: new Date() });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    const routed = slack.messages({ channel: 'C0DEVTEAM01' });
    expect(routed).toHaveLength(1);
    const routedText = JSON.stringify(routed[0]!.blocks);
    expect(routedText).toContain(members[0]!);
    expect(routedText).not.toContain(members[1]!);
    expect(routedText).not.toContain(MOTO_ACCOUNT);
    const full = JSON.stringify(slack.messages({ channel: 'C0DIGEST001' })[0]!.blocks);
    for (const id of [MOTO_ACCOUNT, ...members]) expect(full).toContain(id);

    const again = await runCli(['run', '--once', '--config', path], { env, now: new Date() });
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('Nothing changed since the digest already in C0DEVTEAM01');
    expect(slack.messages({ channel: 'C0DEVTEAM01' })).toHaveLength(1);
  });

  it(
    'sends each account owner (from the config, or the Organizations ' +
      "owner tag) that account's digest, root findings included",
    async () => {
      slack.reset(); // keeps the channels and people added before
      slack.addUser({ id: 'U0OWNER0001', name: 'owner', email: 'owner@example.com' });
      const aws = motoClientConfig(moto);
      await createOrganizationsClient(aws).send(
        new TagResourceCommand({ ResourceId: members[1]!, Tags: [{ Key: 'owner', Value: 'U0OWNER0001' }] }),
      );
      const path = join(dir, 'owners.yml');
      writeFileSync(
        path,
        `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: C0DIGEST001, ` +
          `accountOwners: { "${members[0]}": UDEV0000001 } }\nstate: { path: ` +
          `${join(dir, 'owners.db')} }\norganization: { roleName: MfaBotAudit, ownerTag: owner }\n`,
      );
      const r = await runCli(['run', '--once', '--config', path], {
        env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url },
        now: new Date(),
      });
      expect(r.code).toBe(1);
      const ownerDigest = JSON.stringify(slack.dmsTo('U0OWNER0001').map((m) => m.blocks));
      expect(ownerDigest).toContain(members[1]!);
      expect(ownerDigest).not.toContain(members[0]!);
      expect(ownerDigest).toMatch(/[Rr]oot/);
      const devDigest = JSON.stringify(slack.dmsTo('UDEV0000001').map((m) => m.blocks));
      expect(devDigest).toContain(members[0]!);
      expect(devDigest).not.toContain(members[1]!);
    },
  );

  it('routes by organizational unit, nested OUs included', async () => {
    slack.reset();
    slack.addChannel({ id: 'C0PLATFORM1', name: 'platform' });
    const aws = motoClientConfig(moto);
    const org = createOrganizationsClient(aws);
    const root = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    const platform = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: root, Name: 'platform' })))
      .OrganizationalUnit!.Id!;
    const nested = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: platform, Name: 'platform-prod' })))
      .OrganizationalUnit!.Id!;
    await org.send(
      new MoveAccountCommand({ AccountId: members[1]!, SourceParentId: root, DestinationParentId: nested }),
    );
    const path = join(dir, 'ou-routes.yml');
    writeFileSync(
      path,
      `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: C0DIGEST001, ` +
        `routes: [{ channel: C0PLATFORM1, ous: [${platform}] }] }\nstate: { ` +
        `path: ${join(dir, 'ou.db')} }\norganization: { roleName: MfaBotAudit }\n`,
    );
    const r = await runCli(['run', '--once', '--config', path], {
      env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url },
      now: new Date(),
    });
    expect(r.code).toBe(1);
    const routed = JSON.stringify(slack.messages({ channel: 'C0PLATFORM1' }).map((m) => m.blocks));
    expect(routed).toContain(members[1]!);
    expect(routed).not.toContain(members[0]!);
  });

  it('rejects a route without accounts, naming the key', async () => {
    const path = join(dir, 'bad-routes.yml');
    writeFileSync(path, 'slack: { routes: [{ channel: C0DEVTEAM01, accounts: [] }] }\n');
    const r = await runCli(['scan', '--config', path], { now: new Date() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/slack\.routes\.0: needs at least one account ID or OU ID/);
  });
});

describe('a preview with DynamoDB state', () => {
  it('plans from the table (a reminder, not a first nudge) and writes nothing to it', async () => {
    const table = 'mfa-bot-preview-state';
    const dynamodb = new DynamoDBClient(motoClientConfig(moto));
    await dynamodb.send(new CreateTableCommand(createStateTableInput(table)));
    const path = join(dir, 'dynamo.yml');
    writeFileSync(
      path,
      `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: C0DIGEST001 }\nstate: { dynamodbTable: ` +
        `${table} }\nnudges: { enabled: true }\norganization: { roleName: MfaBotAudit }\n`,
    );
    const env = { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url };
    // 10:00 in Los Angeles, dev's time zone.
    const monday = new Date('2026-11-23T18:00:00Z');
    const dmsBefore = slack.dmsTo('UDEV0000001').length;
    const first = await runCli(['run', '--once', '--config', path], { env, now: monday });
    expect(first.code).toBe(1);
    expect(slack.dmsTo('UDEV0000001')).toHaveLength(dmsBefore + 1);

    await moto.resetCalls();
    const wednesday = new Date(monday.getTime() + 2 * 86_400_000);
    const preview = await runCli(['run', '--once', '--dry-run', '--config', path], { env, now: wednesday });
    expect(preview.code).toBe(1);
    expect(preview.stdout).toMatch(/1st reminder/);
    expect(preview.stdout).not.toMatch(/first nudge/);
    const actions = Object.keys((await moto.calls()).dynamodb ?? {});
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => !['Query', 'GetItem', 'BatchGetItem'].includes(a))).toEqual([]);
    expect(slack.dmsTo('UDEV0000001')).toHaveLength(dmsBefore + 1);
  });
});
