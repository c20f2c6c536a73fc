import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateAccountAliasCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUsers, MOTO_ACCOUNT, motoClients, useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';

const exec = promisify(execFile);
let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnv(moto);
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

describe('mfa-bot scan against the AWS emulator', () => {
  it('finds console users without MFA and the root state, as JSON', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [
      { name: 'alice', password: true, mfa: 'virtual' },
      { name: 'bob', password: true },
      { name: 'svc' },
    ]);
    await moto.setUserDates(MOTO_ACCOUNT, 'bob', {
      createDate: new Date('2025-01-01T00:00:00Z'),
      passwordLastChanged: new Date('2025-01-01T00:00:00Z'),
    });
    await moto.setRoot({ mfaActive: true, virtualMfaSerial: `arn:aws:iam::${MOTO_ACCOUNT}:mfa/root-phone` });

    const r = await runCli(['scan', '--format', 'json'], { now: new Date() });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.accounts[0]).toMatchObject({ accountId: MOTO_ACCOUNT, partition: 'aws', rootMfa: 'virtual' });
    const status = Object.fromEntries(
      doc.findings.map((f: { check: string; principal: string; status: string }) => [
        `${f.check}/${f.principal}`,
        f.status,
      ]),
    );
    expect(status).toMatchObject({
      'root-mfa/<root_account>': 'pass',
      'root-hardware-mfa/<root_account>': 'fail',
      'user-console-mfa/alice': 'pass',
      'user-console-mfa/bob': 'fail',
      'user-console-mfa/svc': 'not_applicable',
    });
  });

  it('CSV carries the account alias and how old the credential report was', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [{ name: 'bob', password: true }]);
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-prod' }));
    const r = await runCli(
      ['scan', '--format', 'csv', '--columns', 'principal,alias,reportAgeMinutes', '--check', 'user-console-mfa'],
      // An hour after the report moto generates now.
      { now: new Date(Date.now() + 60 * 60_000) },
    );
    expect(r.stdout).toMatch(/^principal,alias,reportAgeMinutes\nbob,acme-prod,(59|60)\n$/);
  });

  it('shows centralized root access as not applicable and exits 0 when all is well', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [{ name: 'alice', password: true, mfa: 'hardware' }]);
    await moto.setRoot({ exists: false });
    const r = await runCli(['scan'], { now: new Date() });
    expect(r.stdout).toContain('root MFA: not applicable (no root credentials)');
    expect(r.code).toBe(0);
  });

  it('exits 3 and names the AWS error when the account cannot be read', async () => {
    await moto.failNext('GenerateCredentialReport', {
      code: 'AccessDenied',
      count: 20,
      message: 'not authorized to perform iam:GenerateCredentialReport',
    });
    const r = await runCli(['scan'], { now: new Date() });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/could not scan: AccessDenied: .*\n {2}hint: .*mfa-bot-readonly\.json/);
    // Said once, and counted once: the table is the report, and one account is one problem.
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/\nno findings across 1 account; 1 could not be scanned\.\n$/);
    // JSON is for programs: people are told on stderr.
    await moto.failNext('GenerateCredentialReport', {
      code: 'AccessDenied',
      count: 20,
      message: 'not authorized to perform iam:GenerateCredentialReport',
    });
    const json = await runCli(['scan', '--format', 'json'], { now: new Date() });
    expect(json.code).toBe(3);
    expect(json.stderr).toMatch(/^mfa-bot: account 123456789012: AccessDenied: .*hint: .*mfa-bot-readonly\.json\)\n$/);
  });

  it.runIf(existsSync('dist/cli/main.js'))(
    'runs as the package bin (npx mfa-bot) with the standard AWS_ENDPOINT_URL variables',
    async () => {
      const { iam } = motoClients(moto);
      await createUsers(iam, [{ name: 'bob', password: true }]);
      const result = await exec('node', ['bin/mfa-bot.js', 'scan', '--format', 'csv'], {
        env: { ...process.env, ...moto.env },
      }).catch((e: { code: number; stdout: string }) => e);
      expect((result as { code?: number }).code).toBe(1);
      expect((result as { stdout: string }).stdout).toMatch(/^check,accountId,principal,/);
      expect((result as { stdout: string }).stdout).toContain('user-console-mfa,123456789012,bob,');
    },
  );
});

describe('mfa-bot scan refuses AWS settings that cannot work, before any call', () => {
  const configFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-aws-'));
    writeFileSync(
      join(dir, 'config'),
      '[profile dev]\naws_access_key_id = testing\naws_secret_access_key = testing\n[default]\nregion = us-east-1\n',
    );
    writeFileSync(join(dir, 'credentials'), '');
    return { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
  };

  it('names a misspelt region, suggests the right one, and calls nothing', async () => {
    await moto.resetCalls();
    const r = await runCli(['scan', '--region', 'us-eats-1']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      'mfa-bot: "us-eats-1" (from --region) is not an AWS region: did you mean us-east-1? ' +
        "(if it is a region newer than this mfa-bot's AWS SDK, update mfa-bot)\n",
    );
    expect(await moto.calls()).toEqual({});
  });

  it('says a profile is not in the AWS config files, naming the files and the profiles they define', async () => {
    const files = configFile();
    Object.assign(process.env, files);
    try {
      const r = await runCli(['scan', '--profile', 'nosuch']);
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toBe(
        'mfa-bot: the AWS profile "nosuch" (from --profile) is not in the AWS config ' +
          `files (${files.AWS_CONFIG_FILE}, ${files.AWS_SHARED_CREDENTIALS_FILE}): they ` +
          `define "default", "dev"; check the name with \`aws configure list-profiles\`\n`,
      );
    } finally {
      delete process.env.AWS_CONFIG_FILE;
      delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    }
  });

  it.runIf(existsSync('dist/cli/main.js'))(
    'says in one line that a profile and environment keys are both set',
    async () => {
      const { iam } = motoClients(moto);
      await createUsers(iam, [{ name: 'bob', password: true }]);
      const env = { ...process.env, ...moto.env, ...configFile(), AWS_PROFILE: 'dev' };
      const result = await exec('node', ['bin/mfa-bot.js', 'scan', '--format', 'csv'], { env }).catch(
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect((result as { code?: number }).code).toBe(1);
      expect(result.stdout).toContain('user-console-mfa,123456789012,bob,');
      expect(result.stderr).toBe(
        'mfa-bot: both the profile "dev" and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY ' +
          'are set; using the profile (unset one to silence this)\n',
      );
    },
  );
});
