import { describe, expect, it } from 'vitest';
import { collectAccountSnapshot } from '../../src/aws/account-snapshot.js';
import { fetchCredentialReport } from '../../src/aws/credential-report.js';
import { fetchUserTags } from '../../src/aws/user-tags.js';
import { DEFAULT_CHECK_SETTINGS } from '../../src/domain/types.js';
import { scanAccount } from '../../src/jobs/scan.js';
import { parseConfig } from '../../src/config/load.js';
import { createUsers, MOTO_ACCOUNT, motoClients } from '../support/aws.js';
import type { MotoServer } from '../support/moto/index.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const noWait = { sleep: async () => {}, initialDelayMs: 1, maxDelayMs: 1 };

describe('collectAccountSnapshot against the emulator', () => {
  it(
    'reads users, the root row, ' + 'the summary and root virtual devices with a constant number of IAM calls',
    async () => {
      const { iam } = motoClients(moto);
      await createUsers(iam, [
        { name: 'alice', password: true, mfa: 'virtual' },
        { name: 'bob', password: true },
        { name: 'ci-bot' },
        { name: 'rootadmin', password: true, mfa: 'virtual' },
      ]);
      await moto.setRoot({ mfaActive: true, virtualMfaSerial: `arn:aws:iam::${MOTO_ACCOUNT}:mfa/custom-name` });
      await moto.resetCalls();

      const snap = await collectAccountSnapshot(
        iam,
        { accountId: MOTO_ACCOUNT, partition: 'aws' },
        { settings: DEFAULT_CHECK_SETTINGS, polling: noWait },
      );

      const rows = Object.fromEntries(snap.credentialReport.rows.map((r) => [r.user, r]));
      expect(snap.credentialReport.rows[0]!.user).toBe('<root_account>');
      expect(rows.alice).toMatchObject({ passwordEnabled: true, mfaActive: true });
      expect(rows.bob).toMatchObject({ passwordEnabled: true, mfaActive: false });
      expect(rows['ci-bot']!.passwordEnabled).toBe(false);
      expect(snap.summary).toMatchObject({ mfaEnabled: true, passwordPresent: true, accessKeysPresent: false });
      expect(snap.virtualMfaDevices!.find((d) => d.userArn === `arn:aws:iam::${MOTO_ACCOUNT}:root`)!.serialNumber).toBe(
        `arn:aws:iam::${MOTO_ACCOUNT}:mfa/custom-name`,
      );
      expect(snap.userMfaDevices).toBeUndefined();

      const iamCalls = (await moto.calls()).iam ?? {};
      expect(iamCalls.ListMFADevices ?? 0).toBe(0);
      expect(iamCalls.GetLoginProfile ?? 0).toBe(0);
      expect(Object.values(iamCalls).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(6);
    },
  );

  it('lists devices per console user only when the opt-in hardware check is on', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [
      { name: 'app', password: true, mfa: 'virtual' },
      { name: 'token', password: true, mfa: 'hardware' },
      { name: 'nomfa', password: true },
    ]);
    await moto.resetCalls();
    const snap = await collectAccountSnapshot(
      iam,
      { accountId: MOTO_ACCOUNT, partition: 'aws' },
      { settings: { ...DEFAULT_CHECK_SETTINGS, userHardwareMfa: true }, polling: noWait },
    );
    expect(snap.userMfaDevices).toEqual({ app: [`arn:aws:iam::${MOTO_ACCOUNT}:mfa/app`], token: ['GAHT00000005'] });
    expect((await moto.calls()).iam!.ListMFADevices).toBe(2);
  });
});

describe('fetchCredentialReport', () => {
  it('polls with backoff while AWS generates the report', async () => {
    const { iam } = motoClients(moto);
    await moto.setReport(MOTO_ACCOUNT, { inProgressPolls: 3 });
    const sleeps: number[] = [];
    const report = await fetchCredentialReport(iam, {
      sleep: async (ms) => void sleeps.push(ms),
      initialDelayMs: 100,
      maxDelayMs: 250,
    });
    expect(report.rows[0]!.user).toBe('<root_account>');
    expect(sleeps).toEqual([100, 200, 250]);
  });

  it('regenerates a report that is not present or has expired', async () => {
    const { iam } = motoClients(moto);
    await moto.setReport(MOTO_ACCOUNT, { expired: true });
    expect((await fetchCredentialReport(iam, noWait)).rows.length).toBeGreaterThan(0);
    await moto.setReport(MOTO_ACCOUNT, { notPresent: true });
    expect((await fetchCredentialReport(iam, noWait)).rows.length).toBeGreaterThan(0);
  });

  it("keeps the report's own generation time", async () => {
    const { iam } = motoClients(moto);
    // AWS reuses a report for up to four hours; the data is as old as the report, not as the scan.
    const generated = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * 3600_000);
    await moto.setReport(MOTO_ACCOUNT, { generatedTime: generated });
    expect((await fetchCredentialReport(iam, noWait)).generatedAt).toEqual(generated);
  });

  it('gives up after the bounded wait with a clear error', async () => {
    const { iam } = motoClients(moto);
    await moto.setReport(MOTO_ACCOUNT, { inProgressPolls: 50 });
    await expect(
      fetchCredentialReport(iam, { sleep: async () => {}, initialDelayMs: 1000, maxDelayMs: 1000, maxWaitMs: 3000 }),
    ).rejects.toThrow(/still in progress after 3 s/);
  });
});

describe('scanAccount error handling', () => {
  const config = parseConfig({});

  it('turns AccessDenied on the credential report into error verdicts with the code and a hint', async () => {
    await moto.failNext('GenerateCredentialReport', {
      code: 'AccessDenied',
      message: 'User is not authorized to perform: iam:GenerateCredentialReport',
    });
    const result = await scanAccount(motoClients(moto), config, { polling: noWait });
    expect(result.accountId).toBe(MOTO_ACCOUNT);
    expect(result.error).toMatchObject({
      code: 'AccessDenied',
      hint: expect.stringContaining('mfa-bot-readonly.json'),
    });
    expect(result.verdicts.map((v) => v.status)).toEqual(['error', 'error', 'error']);
  });

  it('scans an account whose alias cannot be read: the alias is optional', async () => {
    await createUsers(motoClients(moto).iam, [{ name: 'bob', password: true }]);
    await moto.failNext('ListAccountAliases', {
      code: 'AccessDenied',
      message: 'User is not authorized to perform: iam:ListAccountAliases',
    });
    const result = await scanAccount(motoClients(moto), parseConfig({ checks: { gracePeriodDays: 0 } }), {
      polling: noWait,
    });
    expect(result.error).toBeUndefined();
    expect(result.alias).toBeUndefined();
    expect(result.verdicts.map((v) => [v.check, v.principal, v.status])).toEqual([
      ['root-mfa', '<root_account>', 'fail'],
      ['root-hardware-mfa', '<root_account>', 'fail'],
      ['user-console-mfa', 'bob', 'fail'],
    ]);
  });

  it(
    'costs only the root verdicts when GetAccountSummary fails; ' + 'user verdicts from the credential report stand',
    async () => {
      await createUsers(motoClients(moto).iam, [
        { name: 'bob', password: true },
        { name: 'ann', password: true, mfa: 'virtual' },
      ]);
      await moto.failNext('GetAccountSummary', {
        code: 'AccessDenied',
        message: 'User is not authorized to perform: iam:GetAccountSummary',
      });
      const config = parseConfig({ checks: { gracePeriodDays: 0, rootHardwareMfa: true } });
      const result = await scanAccount(motoClients(moto), config, { polling: noWait });
      expect(result.error).toBeUndefined();
      expect(result.rootMfa).toBe('unknown');
      const byCheck = result.verdicts.map((v) => [v.check, v.principal, v.status]);
      expect(byCheck).toEqual([
        ['root-mfa', '<root_account>', 'error'],
        ['root-hardware-mfa', '<root_account>', 'error'],
        ['user-console-mfa', 'bob', 'fail'],
        ['user-console-mfa', 'ann', 'pass'],
      ]);
      expect(result.verdicts[0]!.reason).toBe(
        'GetAccountSummary, which says whether the root user has MFA, failed: ' +
          'AccessDenied: User is not authorized to perform: iam:GetAccountSummary (the ' +
          'credentials lack a permission mfa-bot needs: attach policy/mfa-bot-readonly.json).',
      );
    },
  );

  it('reads a user whose name contains a comma, which the report writes unquoted, and every other user', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [
      { name: 'doe,john', password: true },
      { name: 'bob', password: true },
      { name: 'x,y+=.@_-', password: true, mfa: 'virtual' },
    ]);
    const result = await scanAccount(motoClients(moto), parseConfig({ checks: { gracePeriodDays: 0 } }), {
      polling: noWait,
    });
    expect(result.error).toBeUndefined();
    const users = Object.fromEntries(
      result.verdicts.filter((v) => v.check === 'user-console-mfa').map((v) => [v.principal, v.status]),
    );
    expect(users).toEqual({ 'doe,john': 'fail', bob: 'fail', 'x,y+=.@_-': 'pass' });
  });

  it('retries throttling with the SDK and completes', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [{ name: 'bob', password: true }]);
    await moto.failNext('GetCredentialReport', { code: 'Throttling', count: 2, message: 'Rate exceeded' });
    const result = await scanAccount(
      motoClients(moto, { maxAttempts: 4 }),
      parseConfig({ checks: { gracePeriodDays: 0 } }),
      { polling: noWait },
    );
    expect(result.error).toBeUndefined();
    expect(result.verdicts.find((v) => v.principal === 'bob')!.status).toBe('fail');
    expect((await moto.calls()).iam!.GetCredentialReport).toBe(3);
  });

  it('reports expired credentials without a stack trace', async () => {
    await moto.failNext('GetCallerIdentity', {
      code: 'ExpiredToken',
      message: 'The security token included in the request is expired',
      service: 'sts',
    });
    const result = await scanAccount(motoClients(moto), config, { polling: noWait });
    expect(result.error).toMatchObject({ code: 'ExpiredToken', hint: expect.stringContaining('refresh') });
    expect(result.error!.message).not.toMatch(/\n\s+at /);
  });

  it('reports an unreachable endpoint as a network error', async () => {
    const clients = motoClients({ ...moto, endpoint: 'http://127.0.0.1:9' } as MotoServer);
    const result = await scanAccount(clients, config, { polling: noWait });
    expect(result.error!.code).toBe('NetworkError');
  });
});

describe('fetchUserTags', () => {
  it('reads tags for the named users only, and records users it cannot read', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [
      { name: 'bob', password: true, tags: { Email: 'bob@example.com' } },
      { name: 'other', tags: { email: 'x@example.com' } },
    ]);
    await moto.resetCalls();
    const { tags, errors } = await fetchUserTags(iam, ['bob', 'ghost']);
    expect(tags.get('bob')).toEqual({ Email: 'bob@example.com' });
    expect(errors.get('ghost')).toBe('NoSuchEntityException');
    expect((await moto.calls()).iam!.ListUserTags).toBe(2);
  });
});
