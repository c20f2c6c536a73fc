import { DeleteLoginProfileCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { checkUserLive, type UserCheckResult } from '../../src/aws/user-check.js';
import { collectAccountSnapshot } from '../../src/aws/account-snapshot.js';
import { evaluateAccount } from '../../src/domain/evaluate.js';
import { DEFAULT_CHECK_SETTINGS, type CheckSettings, type Exemption } from '../../src/domain/types.js';
import { createUsers, MOTO_ACCOUNT, motoClients } from '../support/aws.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const NO_GRACE: CheckSettings = { ...DEFAULT_CHECK_SETTINGS, gracePeriodDays: 0 };

function check(
  userName: string,
  opts: { settings?: CheckSettings; exemptions?: Exemption[]; accountId?: string } = {},
): Promise<UserCheckResult> {
  return checkUserLive(
    motoClients(moto).iam,
    { accountId: opts.accountId ?? MOTO_ACCOUNT, userName },
    { settings: opts.settings ?? NO_GRACE, exemptions: opts.exemptions ?? [], now: () => new Date() },
  );
}

function statusOf(result: UserCheckResult, check = 'user-console-mfa'): string | undefined {
  return result.kind === 'checked' ? result.verdicts.find((v) => v.check === check)?.status : result.kind;
}

describe('checkUserLive', () => {
  it('judges a user exactly as a scan does', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [
      { name: 'nomfa', password: true },
      { name: 'virtual', password: true, mfa: 'virtual' },
      { name: 'hardware', password: true, mfa: 'hardware' },
      { name: 'apionly' },
    ]);
    const scanned = evaluateAccount(
      await collectAccountSnapshot(
        iam,
        { accountId: MOTO_ACCOUNT, partition: 'aws' },
        { settings: { ...NO_GRACE, userHardwareMfa: true } },
      ),
      { settings: { ...NO_GRACE, userHardwareMfa: true }, now: new Date() },
    );
    for (const name of ['nomfa', 'virtual', 'hardware', 'apionly']) {
      const live = await check(name, { settings: { ...NO_GRACE, userHardwareMfa: true } });
      expect(live.kind).toBe('checked');
      const fromScan = scanned.verdicts.filter((v) => v.principal === name && v.check.startsWith('user-'));
      expect(live.kind === 'checked' && live.verdicts.map((v) => [v.check, v.status, v.reason])).toEqual(
        fromScan.map((v) => [v.check, v.status, v.reason]),
      );
    }
    expect(statusOf(await check('nomfa'))).toBe('fail');
    expect(statusOf(await check('virtual'))).toBe('pass');
    expect(statusOf(await check('apionly'))).toBe('not_applicable');
  });

  it('sees a change at once: MFA added, or the console password removed', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [{ name: 'ann', password: true }]);
    expect(statusOf(await check('ann'))).toBe('fail');
    await iam.send(new DeleteLoginProfileCommand({ UserName: 'ann' }));
    expect(statusOf(await check('ann'))).toBe('not_applicable');
  });

  it('applies the grace period from when the console password was set, and exemptions', async () => {
    const { iam } = motoClients(moto);
    await createUsers(iam, [
      { name: 'newbie', password: true },
      { name: 'breakglass', password: true },
    ]);
    const grace = await check('newbie', { settings: { ...DEFAULT_CHECK_SETTINGS, gracePeriodDays: 7 } });
    expect(statusOf(grace)).toBe('grace');
    expect(grace.kind === 'checked' && grace.verdicts[0]!.deadline!.getTime()).toBeGreaterThan(
      Date.now() + 6 * 86_400_000,
    );
    const exempt = await check('breakglass', {
      exemptions: [
        {
          account: MOTO_ACCOUNT,
          principal: 'breakglass',
          reason: 'sealed envelope',
          expires: new Date(Date.now() + 86_400_000),
        },
      ],
    });
    expect(statusOf(exempt)).toBe('exempt');
  });

  it('reports a missing user, and refuses a user of another account', async () => {
    expect((await check('ghost')).kind).toBe('not-found');
    await createUsers(motoClients(moto).iam, [{ name: 'ann', password: true }]);
    const other = await check('ann', { accountId: '999988887777' });
    expect(other).toMatchObject({ kind: 'error', error: { code: 'AccountMismatch' } });
  });

  it('turns AWS errors into a code and a hint', async () => {
    await createUsers(motoClients(moto).iam, [{ name: 'ann', password: true }]);
    await moto.failNext('ListMFADevices', { code: 'AccessDenied' });
    expect(await check('ann')).toMatchObject({
      kind: 'error',
      error: { code: 'AccessDenied', hint: expect.stringContaining('policy') },
    });
  });

  it('costs three IAM calls whatever the size of the account', async () => {
    await moto.seedUsers({ count: 500, consoleShare: 1, mfaShare: 0.5 });
    await createUsers(motoClients(moto).iam, [{ name: 'ann', password: true }]);
    await moto.resetCalls();
    await check('ann');
    const calls = (await moto.calls()).iam ?? {};
    expect(calls).toEqual({ GetUser: 1, GetLoginProfile: 1, ListMFADevices: 1 });
  });
});
