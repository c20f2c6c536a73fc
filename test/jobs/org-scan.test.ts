import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { assumeAccountClients, createOrganizationsClient } from '../../src/aws/organization.js';
import { parseConfig } from '../../src/config/load.js';
import { scanOrganization, type OrganizationSettings } from '../../src/jobs/org-scan.js';
import { createUsers, MOTO_ACCOUNT, motoClients, motoClientConfig } from '../support/aws.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const settings: OrganizationSettings = { roleName: 'MfaBotAudit', concurrency: 4, accountTimeoutSeconds: 30 };
const config = parseConfig({ checks: { gracePeriodDays: 0 } });

function org() {
  return createOrganizationsClient(motoClientConfig(moto));
}

async function createMembers(names: string[]): Promise<string[]> {
  const client = org();
  await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  for (const name of names)
    await client.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
  const { Accounts = [] } = await client.send(new ListAccountsCommand({}));
  return Accounts.filter((a) => a.Id !== MOTO_ACCOUNT).map((a) => a.Id!);
}

describe('scanOrganization', () => {
  it('scans the management account with its own credentials and each member through AssumeRole', async () => {
    const members = await createMembers(['dev', 'prod', 'sandbox']);
    const base = motoClients(moto);
    for (const [i, id] of members.entries()) {
      const member = await assumeAccountClients(
        base,
        id,
        { roleName: 'MfaBotAudit', partition: 'aws' },
        { endpoint: moto.endpoint, maxAttempts: 1 },
      );
      await createUsers(member.iam, [{ name: `dev${i}`, password: true }]);
      await moto.setRoot({ accountId: id, exists: i !== 0 });
    }
    const progress: string[] = [];
    const result = await scanOrganization(base, org(), config, settings, {
      aws: { endpoint: moto.endpoint, maxAttempts: 1 },
      onProgress: (e) => progress.push(e.kind),
    });

    const ids = result.scan.accounts.map((a) => a.accountId).sort();
    expect(ids).toEqual([MOTO_ACCOUNT, ...members].sort());
    for (const [i, id] of members.entries()) {
      const account = result.scan.accounts.find((a) => a.accountId === id)!;
      expect(account.error).toBeUndefined();
      expect(account.name).toBe(['dev', 'prod', 'sandbox'][i]);
      expect(account.verdicts.find((v) => v.principal === `dev${i}`)).toMatchObject({
        status: 'fail',
        accountId: id,
        arn: `arn:aws:iam::${id}:user/dev${i}`,
      });
    }
    // Centralized root access in the first member: its root checks do not apply.
    expect(result.scan.accounts.find((a) => a.accountId === members[0])!.rootCredentialsPresent).toBe(false);
    expect(progress.filter((k) => k === 'account-done')).toHaveLength(4);
    expect((await moto.calls()).sts!.AssumeRole).toBeGreaterThanOrEqual(3);
  });

  it('keeps going when one account cannot be entered, and names the role in the hint', async () => {
    const members = await createMembers(['a', 'b', 'c']);
    await moto.failNext('AssumeRole', {
      code: 'AccessDenied',
      count: 1,
      service: 'sts',
      message: 'not authorized to perform sts:AssumeRole',
    });
    const result = await scanOrganization(
      motoClients(moto),
      org(),
      config,
      { ...settings, concurrency: 1 },
      { aws: { endpoint: moto.endpoint, maxAttempts: 1 } },
    );
    const errored = result.scan.accounts.filter((a) => a.error);
    expect(errored).toHaveLength(1);
    expect(errored[0]!.error).toMatchObject({ code: 'AccessDenied', hint: expect.stringContaining('MfaBotAudit') });
    expect(errored[0]!.verdicts.every((v) => v.status === 'error')).toBe(true);
    expect(result.scan.accounts.filter((a) => !a.error)).toHaveLength(3);
    expect(members).toContain(errored[0]!.accountId);
  });

  it('honours an explicit account list and exclusions, and reads owner tags', async () => {
    const members = await createMembers(['x', 'y']);
    await org().send(
      new TagResourceCommand({ ResourceId: members[1]!, Tags: [{ Key: 'owner', Value: 'U0OWNER0001' }] }),
    );
    const explicit = await scanOrganization(
      motoClients(moto),
      org(),
      config,
      { ...settings, accounts: [members[0]!] },
      { aws: { endpoint: moto.endpoint, maxAttempts: 1 } },
    );
    expect(explicit.scan.accounts.map((a) => a.accountId)).toEqual([members[0]]);
    const excluded = await scanOrganization(
      motoClients(moto),
      org(),
      config,
      { ...settings, excludeAccounts: [members[0]!], ownerTag: 'owner' },
      { aws: { endpoint: moto.endpoint, maxAttempts: 1 } },
    );
    expect(excluded.scan.accounts.map((a) => a.accountId).sort()).toEqual([MOTO_ACCOUNT, members[1]].sort());
    expect(excluded.accounts.find((a) => a.accountId === members[1])!.tags).toEqual({ owner: 'U0OWNER0001' });
  });

  it('gives up on an account that takes longer than its time limit', async () => {
    await createMembers(['slow']);
    await moto.setReport(MOTO_ACCOUNT, { inProgressPolls: 1000 });
    const result = await scanOrganization(
      motoClients(moto),
      org(),
      config,
      { ...settings, accountTimeoutSeconds: 1 },
      { aws: { endpoint: moto.endpoint, maxAttempts: 1 }, polling: { initialDelayMs: 200, maxDelayMs: 200 } },
    );
    const slow = result.scan.accounts.find((a) => a.accountId === MOTO_ACCOUNT)!;
    expect(slow.error).toMatchObject({
      code: 'AccountTimeout',
      hint: expect.stringContaining('accountTimeoutSeconds'),
    });
    expect(result.scan.accounts.filter((a) => !a.error)).toHaveLength(1);
  });
});
