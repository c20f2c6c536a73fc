import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { createStateTableInput } from '../../src/store/dynamodb/table.js';
import { currentVersion, LATEST_VERSION, migrate } from '../../src/store/sqlite/migrations.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUsers, motoClients, useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { joinedRegExp } from '../support/regexp.js';
import { useMoto } from '../support/use-moto.js';
import { MODES_BIND, runCliProcess } from './cli-process.js';

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
  const state = yaml.includes('state:') ? '' : `state: { path: ${JSON.stringify(join(dir, 'data', 'state.db'))} }\n`;
  writeFileSync(path, `${state}${yaml}`);
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
  const i = lines.findIndex((l) =>
    new RegExp(`^\\S+\\s+\\w+\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`).test(l),
  );
  if (i < 0) throw new Error(`no line for ${name} in:\n${stdout}`);
  return lines[i + 1]?.startsWith('      fix:') ? `${lines[i]}\n${lines[i + 1]}` : lines[i]!;
}

/** Doctor run as a new IAM user `scanner` holding these inline policies, with moto enforcing IAM policies. */
async function doctorAsUserWith(policies: Record<string, string>, config: string) {
  const { iam } = motoClients(moto);
  await iam.send(new CreateUserCommand({ UserName: 'scanner' }));
  for (const [PolicyName, PolicyDocument] of Object.entries(policies))
    await iam.send(new PutUserPolicyCommand({ UserName: 'scanner', PolicyName, PolicyDocument }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'scanner' }));
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: AccessKey!.AccessKeyId!,
    AWS_SECRET_ACCESS_KEY: AccessKey!.SecretAccessKey!,
  });
  await moto.enforceIamPolicies(true);
  try {
    return await doctor(config);
  } finally {
    await moto.enforceIamPolicies(false);
    Object.assign(process.env, saved);
  }
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
    expect(lineOf(r.stdout, 'config file')).toContain(`${config} (from --config): valid`);
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

describe('mfa-bot doctor names what fails, with the fix, and exits 6', () => {
  it('a misspelt key, with the key it was most likely meant as; the other checks go on', async () => {
    const config = writeConfig('slack: { digestChanel: C0DIGEST001 }\nnudgs: { enabled: true }\n');
    const r = await doctor(config);
    const line = lineOf(r.stdout, 'config file');
    expect(line).toMatch(/^FAIL/);
    expect(line).toContain('slack: unknown key "digestChanel" (did you mean "digestChannel"?)');
    expect(line).toContain('unknown key "nudgs" (did you mean "nudges"?)');
    expect(line).toContain('fix: rename slack.digestChanel → slack.digestChannel, nudgs → nudges');
    expect(lineOf(r.stdout, 'auth.test')).toMatch(/^ok/);
    expect(lineOf(r.stdout, 'slack.digestChannel')).toMatch(/^FAIL .*not set/);
    expect(r.code).toBe(6);
  });

  it('a file that is not YAML, by its line', async () => {
    const config = writeConfig('slack: { digestChannel: C0DIGEST001\nnudges: [\n');
    const r = await doctor(config);
    expect(lineOf(r.stdout, 'config file')).toMatch(new RegExp(`^FAIL .*${config} line \\d+: invalid YAML`));
    expect(r.code).toBe(6);
  });

  it('a bad cron expression, by its key', async () => {
    const config = writeConfig("slack: { digestChannel: C0DIGEST001 }\nschedule: { nudges: '0 * * * * * *' }\n");
    const r = await doctor(config);
    expect(lineOf(r.stdout, 'schedule.nudges')).toMatch(/^FAIL .*'0 \* \* \* \* \* \*' is not a cron expression/);
    expect(lineOf(r.stdout, 'schedule.nudges')).toContain('fix: write five fields');
    expect(lineOf(r.stdout, 'schedule.scan')).toMatch(/^ok/);
    expect(r.code).toBe(6);
  });

  it('a wrong Slack token: the rest of Slack is skipped, not failed again', async () => {
    const config = writeConfig('slack: { digestChannel: C0DIGEST001 }\n');
    const r = await doctor(config, slackEnv({ SLACK_BOT_TOKEN: 'xoxb-wrong-token' }));
    expect(lineOf(r.stdout, 'auth.test')).toMatch(
      /^FAIL .*Slack refused SLACK_BOT_TOKEN: invalid_auth\n {6}fix: SLACK_BOT_TOKEN is not valid/,
    );
    expect(lineOf(r.stdout, 'the rest of Slack')).toMatch(/^skip/);
    expect(r.stdout).not.toContain('xoxb-wrong-token');
    expect(r.code).toBe(6);
  });

  it('a Slack that cannot be reached, by its URL', async () => {
    // A port that was just free: nothing listens there, so the connection is refused.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/api/`;
    await new Promise<void>((r) => probe.close(() => r()));
    const config = writeConfig('slack: { digestChannel: C0DIGEST001 }\n');
    const r = await doctor(config, slackEnv({ SLACK_API_URL: url, SLACK_APP_TOKEN: '' }));
    expect(lineOf(r.stdout, 'auth.test')).toContain(
      `FAIL  slack    auth.test: cannot reach Slack at ${url}: ECONNREFUSED`,
    );
    expect(lineOf(r.stdout, 'auth.test')).toContain('fix: check the network, the proxy and SLACK_API_URL');
    expect(r.code).toBe(6);
  });

  it('a scope the manifest asks for and the token lacks, by name', async () => {
    slack.addToken('xoxb-narrow-doctor', { scopes: manifestScopes.filter((s) => s !== 'users:read.email') });
    const config = writeConfig('slack: { digestChannel: C0DIGEST001 }\n');
    const r = await doctor(config, slackEnv({ SLACK_BOT_TOKEN: 'xoxb-narrow-doctor' }));
    expect(lineOf(r.stdout, 'scopes')).toMatch(/^FAIL .*the token lacks users:read\.email \(manifest\.yml/);
    expect(lineOf(r.stdout, 'scopes')).toContain('reinstall it');
    expect(r.code).toBe(6);
  });

  it('a channel the bot is not in, and one that does not exist', async () => {
    const config = writeConfig('slack: { digestChannel: C0OUTSIDE01, securityChannel: C0MISSING01 }\n');
    const r = await doctor(config);
    expect(lineOf(r.stdout, 'slack.digestChannel')).toMatch(
      /^FAIL .*#general-chat \(C0OUTSIDE01\): the bot is not a member.*\n {6}fix: invite the bot: \/invite @mfa-bot/,
    );
    expect(lineOf(r.stdout, 'slack.securityChannel')).toMatch(/^FAIL .*C0MISSING01 does not exist, or is a private/);
    expect(r.code).toBe(6);
  });

  it('an app-level token Slack refuses, and a malformed signing secret', async () => {
    const config = writeConfig('slack: { digestChannel: C0DIGEST001 }\n');
    const socket = await doctor(config, slackEnv({ SLACK_APP_TOKEN: 'xapp-1-not-known' }));
    expect(lineOf(socket.stdout, 'SLACK_APP_TOKEN')).toMatch(
      /^FAIL .*Socket Mode cannot connect: Slack answered invalid_auth/,
    );
    expect(socket.code).toBe(6);
    const http = await doctor(config, slackEnv({ SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: 'not-a-secret' }));
    expect(lineOf(http.stdout, 'SLACK_SIGNING_SECRET')).toMatch(/^FAIL .*not a Slack signing secret/);
    expect(http.stdout).not.toContain('not-a-secret');
    const good = await doctor(config, slackEnv({ SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: 'ab'.repeat(16) }));
    expect(lineOf(good.stdout, 'SLACK_SIGNING_SECRET')).toMatch(/^ok .*HTTP: set, 32 hexadecimal digits/);
    expect(good.code).toBe(0);
  });

  it('a permission the credentials lack, refused by the IAM policy moto enforces', async () => {
    const readonly = JSON.parse(readFileSync('policy/mfa-bot-readonly.json', 'utf8')) as {
      Statement: Array<{ Action: string[] }>;
    };
    readonly.Statement[0]!.Action = readonly.Statement[0]!.Action.filter((a) => a !== 'iam:GenerateCredentialReport');
    const config = writeConfig('slack: { digestChannel: C0DIGEST001 }\n');
    const r = await doctorAsUserWith({ ro: JSON.stringify(readonly) }, config);
    expect(lineOf(r.stdout, 'sts:GetCallerIdentity')).toContain('arn:aws:iam::123456789012:user/scanner');
    expect(lineOf(r.stdout, 'iam:GenerateCredentialReport')).toMatch(
      joinedRegExp(
        /^FAIL .*denied in account 123456789012 \(AccessDenied\).*\n {6}/,
        /fix: attach policy\/mfa-bot-readonly\.json to arn:aws:iam::123456789012:user\/scanner/,
      ),
    );
    expect(lineOf(r.stdout, 'iam:GetCredentialReport')).toMatch(/^ok/);
    expect(r.code).toBe(6);
  });

  it('AWS credentials that do not work: the rest of AWS is skipped', async () => {
    const config = writeConfig('slack: { digestChannel: C0DIGEST001 }\n');
    await moto.failNext('GetCallerIdentity', {
      code: 'ExpiredToken',
      status: 403,
      message: 'The security token included in the request is expired',
    });
    const r = await doctor(config);
    expect(lineOf(r.stdout, 'sts:GetCallerIdentity')).toMatch(
      /^FAIL .*ExpiredToken.*\n {6}fix: the credentials have expired/,
    );
    expect(lineOf(r.stdout, 'the rest of AWS')).toMatch(/^skip/);
    expect(r.code).toBe(6);
  });
});

describe('mfa-bot doctor: AWS settings and usage', () => {
  it('an unknown region, with the region it was most likely meant as', async () => {
    const config = writeConfig('slack: { digestChannel: C0DIGEST001 }\n');
    const r = await doctor(config, slackEnv(), ['--region', 'us-eats-1']);
    expect(lineOf(r.stdout, 'settings')).toMatch(
      /^FAIL .*"us-eats-1" \(from --region\) is not an AWS region: did you mean us-east-1\?/,
    );
    expect(r.code).toBe(6);
  });

  it('--accounts that is neither a number nor account IDs is a usage error', async () => {
    const r = await doctor(writeConfig(''), slackEnv(), ['--accounts', '1234567890,x']);
    expect(r.stderr).toContain('give a number of accounts, or 12-digit account IDs separated by commas');
    expect(r.code).toBe(2);
  });
});

describe('mfa-bot doctor on an organization', () => {
  it('names each sampled member account it cannot enter, and the role', async () => {
    const org = new OrganizationsClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const member = async (name: string) => {
      const created = await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
      return created.CreateAccountStatus!.AccountId!;
    };
    const [locked, open] = [await member('locked'), await member('open')];
    const config = writeConfig(
      'slack: { digestChannel: C0DIGEST001 }\norganization: { roleName: MfaBotAudit, concurrency: 1 }\n',
    );
    // The first AssumeRole (concurrency 1: into the first account sampled) is refused.
    await moto.failNext('AssumeRole', { code: 'AccessDenied', message: 'not authorized to perform sts:AssumeRole' });
    const r = await doctor(config, slackEnv(), ['--accounts', `${locked},${open}`]);
    expect(lineOf(r.stdout, 'organizations:ListAccounts')).toMatch(/^ok .*3 ACTIVE accounts, 3 in scope/);
    expect(lineOf(r.stdout, `member ${locked}`)).toMatch(
      new RegExp(`^FAIL .*sts:AssumeRole into arn:aws:iam::${locked}:role/MfaBotAudit failed: AccessDenied`),
    );
    expect(lineOf(r.stdout, `member ${locked}`)).toContain('fix: deploy the audit role (policy/audit-role.cfn.yml)');
    expect(lineOf(r.stdout, `member ${open}`)).toMatch(/^ok .*entered MfaBotAudit; the 9 IAM reads are permitted/);
    expect(r.code).toBe(6);
  });

  it('--accounts N tries only the first N members', async () => {
    const org = new OrganizationsClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    for (const name of ['a', 'b', 'c'])
      await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
    const config = writeConfig('slack: { digestChannel: C0DIGEST001 }\norganization: { roleName: MfaBotAudit }\n');
    const r = await doctor(config, slackEnv(), ['--accounts', '2']);
    expect(r.stdout.match(/^ok\s+aws\s+member \d{12}:/gm)).toHaveLength(2);
    expect(r.code).toBe(0);
  });
});

describe('mfa-bot doctor on AWS features', () => {
  it('Security Hub not enabled in its region, and an event bus that does not exist', async () => {
    const config = writeConfig(
      'slack: { digestChannel: C0DIGEST001 }\nsecurityHub: { enabled: true, region: eu-west-1 }\n' +
        'events: { busName: no-such-bus }\n',
    );
    const r = await doctor(config);
    expect(lineOf(r.stdout, 'securityhub:DescribeHub')).toMatch(
      joinedRegExp(
        /^FAIL .*Security Hub is not enabled in eu-west-1 for account 123456789012\n {6}/,
        /fix: enable Security Hub in eu-west-1/,
      ),
    );
    expect(lineOf(r.stdout, 'events:DescribeEventBus')).toMatch(/^FAIL .*the bus no-such-bus does not exist/);
    expect(r.code).toBe(6);
  });

  it('a Lambda config with digest.chart at its default: nothing fails, no line is about the chart', async () => {
    const db = new DynamoDBClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    await db.send(new CreateTableCommand(createStateTableInput('mfa-bot-prod-state')));
    const config = writeConfig(
      'slack: { digestChannel: C0DIGEST001, securityChannel: C0PRIVATE01 }\n' +
        'state: { dynamodbTable: mfa-bot-prod-state }\nnudges: { enabled: true }\n',
    );
    const r = await doctor(config);
    expect(r.stdout).not.toMatch(/^FAIL|chart/im);
    expect(r.code).toBe(0);
  });

  it('a DynamoDB state table: present and usable, then missing', async () => {
    const db = new DynamoDBClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    await db.send(new CreateTableCommand(createStateTableInput('mfa-state')));
    const config = writeConfig('slack: { digestChannel: C0DIGEST001 }\nstate: { dynamodbTable: mfa-state }\n');
    const r = await doctor(config);
    expect(lineOf(r.stdout, 'state.dynamodbTable')).toMatch(
      /^ok .*GetItem and PutItem permitted .*nothing was written/,
    );
    const items = await db.send(new ScanCommand({ TableName: 'mfa-state' }));
    expect(items.Count).toBe(0);
    expect(r.code).toBe(0);
    const missing = await doctor(
      writeConfig('slack: { digestChannel: C0DIGEST001 }\nstate: { dynamodbTable: other-state }\n'),
    );
    expect(lineOf(missing.stdout, 'state.dynamodbTable')).toMatch(/^FAIL .*the table other-state does not exist/);
    expect(missing.code).toBe(6);
  });
});

describe('mfa-bot doctor on a state file', () => {
  it('reads its schema version and proves it writable, leaving it and its directory as they were', async () => {
    const statePath = join(dir, 'data', 'state.db');
    const store = SqliteStateStore.open(statePath, { now: new Date() });
    await store.close();
    const before = readFileSync(statePath);
    const r = await doctor(writeConfig('slack: { digestChannel: C0DIGEST001 }\n'));
    expect(lineOf(r.stdout, 'state.path')).toMatch(
      new RegExp(`^ok .*readable and writable, schema version ${LATEST_VERSION}, the latest`),
    );
    expect(readdirSync(join(dir, 'data'))).toEqual(['state.db']);
    expect(readFileSync(statePath).equals(before)).toBe(true);
  });

  it('an older schema is reported with the version the next run upgrades it to, and left as it is', async () => {
    const statePath = join(dir, 'data', 'state.db');
    mkdirSync(join(dir, 'data'));
    const old = new Database(statePath);
    migrate(old, new Date(), 1);
    old.close();
    const r = await doctor(writeConfig('slack: { digestChannel: C0DIGEST001 }\n'));
    expect(lineOf(r.stdout, 'state.path')).toMatch(
      new RegExp(`^ok .*schema version 1; the next run upgrades it to ${LATEST_VERSION}`),
    );
    const after = new Database(statePath, { readonly: true });
    expect(currentVersion(after)).toBe(1);
    after.close();
  });

  it('a file from a newer mfa-bot fails, naming the file', async () => {
    const statePath = join(dir, 'data', 'state.db');
    await SqliteStateStore.open(statePath, { now: new Date() }).close();
    const db = new Database(statePath);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', '2030-01-01')").run(
      LATEST_VERSION + 1,
    );
    db.close();
    const r = await doctor(writeConfig('slack: { digestChannel: C0DIGEST001 }\n'));
    expect(lineOf(r.stdout, 'state.path')).toMatch(
      new RegExp(`^FAIL .*state file ${statePath}: was written by a newer mfa-bot`),
    );
    expect(r.code).toBe(6);
  });

  it.runIf(MODES_BIND)(
    'a directory it cannot write: names the file, in its own process held to file modes',
    async () => {
      const statePath = join(dir, 'data', 'state.db');
      const store = SqliteStateStore.open(statePath, { now: new Date() });
      await store.close();
      const config = writeConfig('slack: { digestChannel: C0DIGEST001 }\n');
      chmodSync(join(dir, 'data'), 0o555);
      try {
        const r = await runCliProcess(['doctor', '--config', config], { ...moto.env, ...slackEnv() });
        expect(lineOf(r.stdout, 'state.path')).toMatch(
          new RegExp(`^FAIL .*state file ${statePath}: cannot be (written|opened for writing)`),
        );
        expect(r.code).toBe(6);
        expect(readdirSync(join(dir, 'data'))).toEqual(['state.db']);
      } finally {
        chmodSync(join(dir, 'data'), 0o755);
      }
    },
  );
});

describe('mfa-bot doctor on enforcement', () => {
  const OWN = '123456789012';
  const enforcing = (extra = '') =>
    writeConfig(
      'slack: { digestChannel: C0DIGEST001, securityChannel: C0PRIVATE01, admins: [U0ADMIN0001] }\n' +
        `enforcement: { enabled: true }\n${extra}`,
    );
  const createRequireMfaPolicy = (iam = motoClients(moto).iam) =>
    iam.send(
      new CreatePolicyCommand({
        PolicyName: 'MfaBotRequireMfa',
        PolicyDocument: readFileSync('policy/require-mfa.json', 'utf8'),
      }),
    );

  it('a missing require-MFA policy fails with the create-policy fix; once created, ok; nothing attached', async () => {
    const config = enforcing();
    await moto.resetCalls();
    const missing = await doctor(config);
    expect(lineOf(missing.stdout, `enforcement policy in ${OWN}`)).toMatch(
      joinedRegExp(
        new RegExp(`^FAIL .*arn:aws:iam::${OWN}:policy/MfaBotRequireMfa does not exist.*\\n {6}`),
        /fix: create it in 123456789012: aws iam create-policy --policy-name MfaBotRequireMfa /,
        /--policy-document file:\/\/policy\/require-mfa\.json/,
      ),
    );
    expect(lineOf(missing.stdout, `iam:ListAttachedUserPolicies in ${OWN}`)).toMatch(
      /^ok .*permitted; AttachUserPolicy and DetachUserPolicy are not tried \(they write\)/,
    );
    expect(lineOf(missing.stdout, 'enforcement.approval')).toMatch(
      /^ok .*request: posted to C0PRIVATE01, decided by the Slack admins/,
    );
    expect(missing.code).toBe(6);
    const iamCalls = Object.keys((await moto.calls()).iam ?? {});
    expect(iamCalls).toEqual(expect.arrayContaining(['GetPolicy', 'ListAttachedUserPolicies']));
    expect(iamCalls.filter((a) => /^(Attach|Detach|Create|Put|Delete)/.test(a))).toEqual([]);

    await createRequireMfaPolicy();
    const present = await doctor(config);
    expect(lineOf(present.stdout, `enforcement policy in ${OWN}`)).toMatch(
      new RegExp(`^ok .*arn:aws:iam::${OWN}:policy/MfaBotRequireMfa exists`),
    );
    expect(present.stdout).not.toMatch(/FAIL/);
    expect(present.code).toBe(0);
  });

  it('checks each sampled member account too, through the audit role', async () => {
    await createRequireMfaPolicy();
    const org = new OrganizationsClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await org.send(new CreateAccountCommand({ AccountName: 'm', Email: 'm@example.com' }));
    const member = created.CreateAccountStatus!.AccountId!;
    const r = await doctor(enforcing('organization: { roleName: MfaBotAudit }\n'), slackEnv(), ['--accounts', member]);
    expect(lineOf(r.stdout, `enforcement policy in ${OWN}`)).toMatch(/^ok/);
    expect(lineOf(r.stdout, `enforcement policy in ${member}`)).toMatch(
      joinedRegExp(
        new RegExp(`^FAIL .*arn:aws:iam::${member}:policy/MfaBotRequireMfa does not exist.*\\n {6}`),
        new RegExp(`fix: create it in ${member}: `),
      ),
    );
    expect(lineOf(r.stdout, `iam:ListAttachedUserPolicies in ${member}`)).toMatch(/^ok/);
    expect(r.code).toBe(6);
  });

  it('ListAttachedUserPolicies refused by the policy moto enforces fails, naming mfa-bot-enforce.json', async () => {
    await createRequireMfaPolicy();
    const policies = Object.fromEntries(
      ['readonly', 'doctor'].map((p) => [p, readFileSync(`policy/mfa-bot-${p}.json`, 'utf8')]),
    );
    const r = await doctorAsUserWith(policies, enforcing());
    // policy/mfa-bot-doctor.json allows the GetPolicy.
    expect(lineOf(r.stdout, `enforcement policy in ${OWN}`)).toMatch(/^ok .*exists/);
    expect(lineOf(r.stdout, `iam:ListAttachedUserPolicies in ${OWN}`)).toMatch(
      joinedRegExp(
        /^FAIL .*failed \(AccessDenied\).*AttachUserPolicy and DetachUserPolicy are not tried.*\n {6}/,
        /fix: attach policy\/mfa-bot-enforce\.json to arn:aws:iam::123456789012:user\/scanner/,
      ),
    );
    expect(r.code).toBe(6);
  });

  it("approval 'request' with no channel and no one to approve fails; 'auto' needs neither", async () => {
    const request = await doctor(writeConfig('enforcement: { enabled: true }\n'));
    expect(lineOf(request.stdout, 'enforcement.approval')).toMatch(
      joinedRegExp(
        /^FAIL .*request: no channel for the requests \(slack\.securityChannel and slack\.digestChannel are unset\); /,
        /no one may approve .*\n {6}fix: set slack\.securityChannel/,
      ),
    );
    const auto = await doctor(writeConfig('enforcement: { enabled: true, approval: auto }\n'));
    expect(lineOf(auto.stdout, 'enforcement.approval')).toMatch(/^ok .*auto: enforced when the final notice ends/);
    const off = await doctor(writeConfig('slack: { digestChannel: C0DIGEST001 }\n'));
    expect(off.stdout).not.toMatch(/enforcement|ListAttachedUserPolicies/);
  });
});

describe('mfa-bot doctor --format json', () => {
  it('gives every check with its area, status, detail and fix', async () => {
    const r = await doctor(writeConfig('slack: { digestChannel: C0OUTSIDE01 }\n'), slackEnv(), ['--format', 'json']);
    const out = JSON.parse(r.stdout) as { passed: boolean; checks: Array<Record<string, string>> };
    expect(out.passed).toBe(false);
    expect(out.checks.find((c) => c.name === 'slack.digestChannel')).toMatchObject({
      area: 'slack',
      status: 'fail',
      fix: expect.stringContaining('/invite @mfa-bot'),
    });
    expect(out.checks.every((c) => ['ok', 'fail', 'skip'].includes(c.status!))).toBe(true);
    expect(r.code).toBe(6);
  });
});
