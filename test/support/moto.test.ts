import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  ListVirtualMFADevicesCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMoto, type MotoServer } from './moto/index.js';
import { enableVirtualMfa, motoClientConfig } from './aws.js';

const ACCOUNT = '123456789012';
const COLUMNS =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,' +
  'password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,' +
  'access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,' +
  'access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,' +
  'cert_2_active,cert_2_last_rotated';
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/;

let moto: MotoServer;
let startMs = 0;

function iam(opts: { region?: string; maxAttempts?: number } = {}): IAMClient {
  return new IAMClient(motoClientConfig(moto, opts));
}

type Row = Record<string, string>;

async function credentialReport(client = iam()): Promise<{ header: string[]; rows: Row[]; generated?: Date }> {
  await client.send(new GenerateCredentialReportCommand({}));
  const out = await client.send(new GetCredentialReportCommand({}));
  const lines = new TextDecoder().decode(out.Content).trim().split('\n');
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
  });
  return { header, rows, generated: out.GeneratedTime };
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

async function userWithVirtualMfa(client: IAMClient, name: string): Promise<string> {
  await client.send(new CreateUserCommand({ UserName: name }));
  return enableVirtualMfa(client, name, name);
}

beforeAll(async () => {
  const t0 = performance.now();
  moto = await startMoto();
  startMs = performance.now() - t0;
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
});

describe('startMoto', () => {
  it('serves moto on a loopback port and describes the environment for child processes', async () => {
    expect(moto.endpoint).toBe(`http://127.0.0.1:${moto.port}`);
    expect(moto.env).toMatchObject({
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
    });
    expect((await fetch(`${moto.endpoint}/moto-api/`)).ok).toBe(true);
    console.info(`startMoto took ${Math.round(startMs)} ms`);
  });

  it('runs independent servers side by side and stop() ends the process', async () => {
    const other = await startMoto();
    try {
      expect(other.port).not.toBe(moto.port);
      await other.setRoot({ mfaActive: true });
      await iam().send(new CreateUserCommand({ UserName: 'only-on-first' }));
      const otherClient = new IAMClient({
        endpoint: other.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      expect((await otherClient.send(new ListUsersCommand({}))).Users).toEqual([]);
      const summary = async (c: IAMClient) => (await c.send(new GetAccountSummaryCommand({}))).SummaryMap!;
      expect((await summary(otherClient)).AccountMFAEnabled).toBe(1);
      expect((await summary(iam())).AccountMFAEnabled).toBe(0);
    } finally {
      await other.stop();
    }
    await expect(fetch(`${other.endpoint}/moto-api/`)).rejects.toThrow();
  });

  it('says how to install moto when python cannot import it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'moto-missing-'));
    const fake = path.join(dir, 'python-without-moto');
    // -S skips site-packages, so `import moto` fails just as on a machine without moto.
    await writeFile(fake, '#!/bin/sh\nexec python3 -S "$@"\n');
    await chmod(fake, 0o755);
    const saved = process.env.MOTO_PYTHON;
    try {
      process.env.MOTO_PYTHON = fake;
      await expect(startMoto()).rejects.toThrow(/cannot import moto.*pip install 'moto\[server\]'/s);
      process.env.MOTO_PYTHON = path.join(dir, 'no-such-python');
      await expect(startMoto()).rejects.toThrow(/was not found.*pip install 'moto\[server\]'/s);
    } finally {
      if (saved === undefined) delete process.env.MOTO_PYTHON;
      else process.env.MOTO_PYTHON = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('credential report', () => {
  it('has AWS columns, the root row first and AWS values for users', async () => {
    const client = iam();
    await client.send(new CreateUserCommand({ UserName: 'console' }));
    await client.send(new CreateLoginProfileCommand({ UserName: 'console', Password: 'Secret-123' }));
    await client.send(new CreateUserCommand({ UserName: 'robot' }));
    await client.send(new CreateAccessKeyCommand({ UserName: 'robot' }));
    await userWithVirtualMfa(client, 'careful');

    const { header, rows } = await credentialReport(client);
    expect(header.join(',')).toBe(COLUMNS);
    expect(header).toHaveLength(22);
    expect(rows.map((r) => r.user)).toEqual(['<root_account>', 'console', 'robot', 'careful']);

    const [root, consoleUser, robot, careful] = rows as [Row, Row, Row, Row];
    expect(root).toMatchObject({
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      password_enabled: 'not_supported',
      password_last_used: 'no_information',
      password_last_changed: 'not_supported',
      password_next_rotation: 'not_supported',
      mfa_active: 'false',
      access_key_1_active: 'false',
      access_key_1_last_rotated: 'N/A',
      access_key_2_active: 'false',
      cert_1_active: 'false',
      cert_1_last_rotated: 'N/A',
    });
    expect(root.user_creation_time).toMatch(ISO_SECONDS);

    expect(consoleUser).toMatchObject({
      arn: `arn:aws:iam::${ACCOUNT}:user/console`,
      password_enabled: 'true',
      password_last_used: 'no_information',
      password_next_rotation: 'N/A',
      mfa_active: 'false',
      access_key_1_active: 'false',
      access_key_1_last_rotated: 'N/A',
    });
    expect(consoleUser.user_creation_time).toMatch(ISO_SECONDS);
    expect(consoleUser.password_last_changed).toMatch(ISO_SECONDS);

    expect(robot).toMatchObject({
      password_enabled: 'false',
      password_last_used: 'N/A',
      password_last_changed: 'N/A',
      password_next_rotation: 'N/A',
      access_key_1_active: 'true',
      access_key_1_last_used_date: 'N/A',
      access_key_1_last_used_region: 'N/A',
      access_key_1_last_used_service: 'N/A',
      access_key_2_active: 'false',
    });
    expect(robot.access_key_1_last_rotated).toMatch(ISO_SECONDS);
    // A virtual device enabled with EnableMFADevice makes mfa_active true, as in AWS.
    expect(careful.mfa_active).toBe('true');
  });

  it('GenerateCredentialReport answers STARTED, then COMPLETE, and GeneratedTime is the generation time', async () => {
    const client = iam();
    const before = Date.now();
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const out = await client.send(new GetCredentialReportCommand({}));
    expect(out.ReportFormat).toBe('text/csv');
    // Second precision, like the report's own dates.
    expect(out.GeneratedTime!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(out.GeneratedTime!.getTime()).toBeLessThanOrEqual(Date.now());

    const old = new Date('2024-01-01T00:00:00Z');
    await moto.setReport(ACCOUNT, { generatedTime: old });
    expect((await client.send(new GetCredentialReportCommand({}))).GeneratedTime).toEqual(old);
    // Older than 4 hours: a new generation starts, as in AWS.
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
  });

  it("records an access key's last use when a request is signed with it, stamped with the clock when set", async () => {
    const client = iam();
    await client.send(new CreateUserCommand({ UserName: 'robot' }));
    const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: 'robot' }));
    const robot = new IAMClient({
      endpoint: moto.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      maxAttempts: 1,
    });
    const before = Math.floor(Date.now() / 1000) * 1000;
    await robot.send(new GetUserCommand({}));
    const used = (await credentialReport(client)).rows.find((r) => r.user === 'robot')!;
    expect(Date.parse(used.access_key_1_last_used_date!)).toBeGreaterThanOrEqual(before);
    expect(used).toMatchObject({ access_key_1_last_used_region: 'eu-west-1', access_key_1_last_used_service: 'iam' });

    await moto.setClock(new Date('2026-08-01T12:00:00Z'));
    await robot.send(new GetUserCommand({}));
    await moto.setReport(ACCOUNT, { expired: true });
    const clocked = (await credentialReport(client)).rows.find((r) => r.user === 'robot')!;
    expect(clocked.access_key_1_last_used_date).toBe('2026-08-01T12:00:00+00:00');
  });

  it('shows controlled user dates and the password rotation date from the password policy', async () => {
    const client = iam();
    await client.send(new CreateUserCommand({ UserName: 'old-timer' }));
    await client.send(new CreateLoginProfileCommand({ UserName: 'old-timer', Password: 'Secret-123' }));
    await client.send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 90 }));
    await moto.setUserDates(ACCOUNT, 'old-timer', {
      createDate: new Date('2023-05-06T07:08:09Z'),
      passwordLastChanged: new Date('2024-01-02T03:04:05.678Z'),
      passwordLastUsed: new Date('2024-02-03T04:05:06Z'),
    });
    const { rows } = await credentialReport(client);
    expect(rows.find((r) => r.user === 'old-timer')).toMatchObject({
      user_creation_time: '2023-05-06T07:08:09+00:00',
      password_last_changed: '2024-01-02T03:04:05+00:00',
      password_last_used: '2024-02-03T04:05:06+00:00',
      password_next_rotation: '2024-04-01T03:04:05+00:00',
    });
    expect((await client.send(new GetUserCommand({ UserName: 'old-timer' }))).User!.CreateDate).toEqual(
      new Date('2023-05-06T07:08:09Z'),
    );
    await expect(moto.setUserDates(ACCOUNT, 'nobody', { createDate: new Date() })).rejects.toThrow(/404/);
  });
});

describe('root user', () => {
  it('defaults to a root with a password, no keys and no MFA', async () => {
    const summary = (await iam().send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(summary).toMatchObject({
      AccountMFAEnabled: 0,
      AccountPasswordPresent: 1,
      AccountAccessKeysPresent: 0,
      AccountSigningCertificatesPresent: 0,
    });
  });

  it('reports root MFA, keys and password through GetAccountSummary and the credential report', async () => {
    await moto.setRoot({ accountId: ACCOUNT, mfaActive: true, accessKeysPresent: true, passwordPresent: true });
    const summary = (await iam().send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(summary).toMatchObject({
      AccountMFAEnabled: 1,
      AccountPasswordPresent: 1,
      AccountAccessKeysPresent: 1,
      AccountSigningCertificatesPresent: 0,
    });
    const root = (await credentialReport()).rows[0]!;
    expect(root).toMatchObject({ user: '<root_account>', mfa_active: 'true', access_key_1_active: 'true' });
    expect(root.access_key_1_last_rotated).toMatch(ISO_SECONDS);
  });

  it('models centralized root access: no credentials, the row kept without MFA or keys', async () => {
    await moto.setRoot({ exists: false });
    const summary = (await iam().send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(summary).toMatchObject({ AccountMFAEnabled: 0, AccountPasswordPresent: 0, AccountAccessKeysPresent: 0 });
    const root = (await credentialReport()).rows[0]!;
    expect(root).toMatchObject({
      user: '<root_account>',
      password_enabled: 'not_supported',
      password_last_used: 'N/A',
      mfa_active: 'false',
      access_key_1_active: 'false',
      access_key_2_active: 'false',
    });
  });

  it("lists root's virtual device with the root ARN, next to a user's device", async () => {
    const client = iam();
    const rootSerial = `arn:aws:iam::${ACCOUNT}:mfa/any-name-at-all`;
    await moto.setRoot({ virtualMfaSerial: rootSerial });
    const userSerial = await userWithVirtualMfa(client, 'rootadmin');

    for (const AssignmentStatus of ['Any', 'Assigned'] as const) {
      const { VirtualMFADevices: devices = [] } = await client.send(
        new ListVirtualMFADevicesCommand({ AssignmentStatus }),
      );
      const rootDevice = devices.find((d) => d.SerialNumber === rootSerial);
      expect(rootDevice?.User?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:root`);
      expect(rootDevice?.User?.UserId).toBe(ACCOUNT);
      expect(rootDevice?.User?.UserName).toBeUndefined();
      expect(rootDevice?.EnableDate).toBeInstanceOf(Date);
      const userDevice = devices.find((d) => d.SerialNumber === userSerial);
      expect(userDevice?.User?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/rootadmin`);
      expect(userDevice?.User?.UserName).toBe('rootadmin');
    }
    // The default ListVirtualMFADevices (no AssignmentStatus) is Any.
    expect((await client.send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices).toHaveLength(2);
    const unassigned = await client.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }));
    expect(unassigned.VirtualMFADevices).toEqual([]);

    // A virtual device on root implies MFA unless said otherwise.
    expect((await client.send(new GetAccountSummaryCommand({}))).SummaryMap!.AccountMFAEnabled).toBe(1);
    expect((await credentialReport(client)).rows[0]!.mfa_active).toBe('true');
  });

  it('pages the root device with the rest (MaxItems / Marker)', async () => {
    const client = iam();
    await moto.setRoot({ virtualMfaSerial: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device` });
    await userWithVirtualMfa(client, 'a');
    const first = await client.send(new ListVirtualMFADevicesCommand({ MaxItems: 1 }));
    expect(first.IsTruncated).toBe(true);
    const second = await client.send(new ListVirtualMFADevicesCommand({ MaxItems: 1, Marker: first.Marker }));
    expect(second.IsTruncated).toBe(false);
    expect([...first.VirtualMFADevices!, ...second.VirtualMFADevices!].map((d) => d.User?.Arn)).toEqual([
      `arn:aws:iam::${ACCOUNT}:root`,
      `arn:aws:iam::${ACCOUNT}:user/a`,
    ]);
  });

  it('uses the GovCloud partition in root ARNs', async () => {
    // A GovCloud client: moto's users are in aws-us-gov too and the root ARN follows.
    const gov = iam({ region: 'us-gov-west-1' });
    await moto.setRoot({ virtualMfaSerial: `arn:aws-us-gov:iam::${ACCOUNT}:mfa/root` });
    await gov.send(new CreateUserCommand({ UserName: 'fed' }));
    const { rows } = await credentialReport(gov);
    expect(rows.map((r) => r.arn)).toEqual([
      `arn:aws-us-gov:iam::${ACCOUNT}:root`,
      `arn:aws-us-gov:iam::${ACCOUNT}:user/fed`,
    ]);
    const devices = (await gov.send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices!;
    expect(devices[0]!.User!.Arn).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:root`);

    // An explicit partition wins whatever the client's region.
    await moto.setRoot({ partition: 'aws-us-gov' });
    expect((await credentialReport()).rows[0]!.arn).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:root`);
  });
});

describe('failure injection', () => {
  it('answers the next requests for an Action with a real AWS error', async () => {
    const client = iam();
    await client.send(new CreateUserCommand({ UserName: 'u' }));
    await moto.failNext('GetCredentialReport', { count: 2, code: 'Throttling', status: 400, message: 'Rate exceeded' });
    await client.send(new GenerateCredentialReportCommand({}));
    for (let i = 0; i < 2; i++) {
      expect(await errorOf(client.send(new GetCredentialReportCommand({})))).toMatchObject({
        name: 'Throttling',
        status: 400,
        message: 'Rate exceeded',
      });
    }
    await expect(client.send(new GetCredentialReportCommand({}))).resolves.toBeDefined();

    await moto.failNext('GetUser', { code: 'AccessDenied', message: 'not allowed' });
    expect(await errorOf(client.send(new GetUserCommand({ UserName: 'u' })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    await moto.failNext('GetAccountSummary', { code: 'ServiceFailure' });
    expect(await errorOf(client.send(new GetAccountSummaryCommand({})))).toMatchObject({
      name: 'ServiceFailureException',
      status: 500,
    });
  });

  it('counts SDK retries as requests, and clearFailures drops pending failures', async () => {
    // The SDK retries throttling (3 attempts by default): two failures are absorbed.
    const retrying = iam({ maxAttempts: 3 });
    await moto.failNext('ListUsers', { count: 2, code: 'Throttling' });
    await expect(retrying.send(new ListUsersCommand({}))).resolves.toBeDefined();
    expect((await moto.calls()).iam?.ListUsers).toBe(3);

    await moto.failNext('ListUsers', { count: 5, code: 'AccessDenied' });
    await moto.clearFailures();
    await expect(iam().send(new ListUsersCommand({}))).resolves.toBeDefined();
  });

  it('can target other services', async () => {
    const sts = new STSClient(motoClientConfig(moto));
    await moto.failNext('GetCallerIdentity', { service: 'sts', code: 'ExpiredToken', status: 400 });
    expect(await errorOf(sts.send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'ExpiredToken',
      status: 400,
    });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(ACCOUNT);
  });
  it('can target one account, by the account the access key belongs to', async () => {
    const client = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
      new STSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const base = client({ accessKeyId: 'testing', secretAccessKey: 'testing' });
    const { Credentials: c } = await base.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/audit', RoleSessionName: 't' }),
    );
    const member = client({
      accessKeyId: c!.AccessKeyId!,
      secretAccessKey: c!.SecretAccessKey!,
      sessionToken: c!.SessionToken!,
    });

    await moto.failNext('GetCallerIdentity', { service: 'sts', accountId: '111111111111', code: 'Throttling' });
    expect((await base.send(new GetCallerIdentityCommand({}))).Account).toBe(ACCOUNT);
    expect(await errorOf(member.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'Throttling' });
    expect((await member.send(new GetCallerIdentityCommand({}))).Account).toBe('111111111111');
  });
});

describe('credential report readiness', () => {
  it('answers ReportNotPresent before the first GenerateCredentialReport and when told to', async () => {
    const client = iam();
    expect(await errorOf(client.send(new GetCredentialReportCommand({})))).toMatchObject({
      name: 'CredentialReportNotPresentException',
      status: 410,
    });
    await credentialReport(client);
    await moto.setReport(ACCOUNT, { notPresent: true });
    expect(await errorOf(client.send(new GetCredentialReportCommand({})))).toMatchObject({
      name: 'CredentialReportNotPresentException',
    });
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    await expect(client.send(new GetCredentialReportCommand({}))).resolves.toBeDefined();
  });

  it('answers STARTED, INPROGRESS, then COMPLETE, with ReportInProgress until complete', async () => {
    const client = iam();
    await moto.setReport(ACCOUNT, { inProgressPolls: 2 });
    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      states.push((await client.send(new GenerateCredentialReportCommand({}))).State!);
      if (states.at(-1) !== 'COMPLETE') {
        expect(await errorOf(client.send(new GetCredentialReportCommand({})))).toMatchObject({
          name: 'CredentialReportNotReadyException',
          status: 404,
        });
      }
    }
    expect(states).toEqual(['STARTED', 'INPROGRESS', 'COMPLETE']);
    await expect(client.send(new GetCredentialReportCommand({}))).resolves.toBeDefined();
  });

  it('answers ReportExpired until the report is generated again', async () => {
    const client = iam();
    await credentialReport(client);
    await moto.setReport(ACCOUNT, { expired: true });
    expect(await errorOf(client.send(new GetCredentialReportCommand({})))).toMatchObject({
      name: 'CredentialReportExpiredException',
      status: 410,
    });
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    await expect(client.send(new GetCredentialReportCommand({}))).resolves.toBeDefined();
  });
});

describe('call counter and reset', () => {
  it('counts requests by service and Action', async () => {
    const client = iam();
    await moto.resetCalls();
    await credentialReport(client);
    await client.send(new GetCredentialReportCommand({}));
    const sts = new STSClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await sts.send(new GetCallerIdentityCommand({}));
    expect(await moto.calls()).toEqual({
      iam: { GenerateCredentialReport: 1, GetCredentialReport: 2 },
      sts: { GetCallerIdentity: 1 },
    });
    await moto.resetCalls();
    expect(await moto.calls()).toEqual({});
  });

  it('reset clears users, root, failures, report state and counts', async () => {
    const client = iam();
    await client.send(new CreateUserCommand({ UserName: 'gone' }));
    await moto.setRoot({ mfaActive: true, virtualMfaSerial: `arn:aws:iam::${ACCOUNT}:mfa/root` });
    await moto.failNext('ListUsers', { code: 'AccessDenied' });
    await moto.setReport(ACCOUNT, { inProgressPolls: 3 });

    await moto.reset();

    expect(await moto.calls()).toEqual({});
    expect((await client.send(new ListUsersCommand({}))).Users).toEqual([]);
    expect((await client.send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices).toEqual([]);
    expect((await client.send(new GetAccountSummaryCommand({}))).SummaryMap!.AccountMFAEnabled).toBe(0);
    expect(await errorOf(client.send(new GetCredentialReportCommand({})))).toMatchObject({
      name: 'CredentialReportNotPresentException',
    });
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    expect((await credentialReport(client)).rows.map((r) => r.user)).toEqual(['<root_account>']);
  });
});
