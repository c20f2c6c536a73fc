import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { ManagementAccountRefused } from '../../src/aws/root-credentials.js';
import { auditRootMfa, deleteRootCredentials } from '../../src/aws/root-tasks.js';
import { MOTO_ACCOUNT, motoClients, motoClientConfig } from '../support/aws.js';
import { createOrganization, memberAdmin } from '../support/org.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const aws = () => motoClientConfig(moto);

describe('deleteRootCredentials', () => {
  it("deletes a member root's password, keys and certificates and deactivates its MFA (AssumeRoot)", async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    const accountId = members[0]!;
    await moto.setRoot({ accountId, accessKeysPresent: true, signingCertificatesPresent: true, mfaActive: true });
    await moto.resetCalls();
    const member = { accountId, partition: 'aws' as const, managementAccountId: MOTO_ACCOUNT };

    expect(await deleteRootCredentials(motoClients(moto), member, aws())).toEqual({
      password: true,
      accessKeys: 1,
      signingCertificates: 1,
      mfaDevices: 1,
    });
    expect((await moto.calls()).sts?.AssumeRoot).toBe(1);
    const memberIam = new IAMClient({ ...aws(), credentials: await memberAdmin(moto, accountId) });
    const { SummaryMap } = await memberIam.send(new GetAccountSummaryCommand({}));
    expect(SummaryMap).toMatchObject({
      AccountPasswordPresent: 0,
      AccountAccessKeysPresent: 0,
      AccountSigningCertificatesPresent: 0,
      AccountMFAEnabled: 0,
    });
    // Again: nothing left, nothing fails.
    expect(await deleteRootCredentials(motoClients(moto), member, aws())).toEqual({
      password: false,
      accessKeys: 0,
      signingCertificates: 0,
      mfaDevices: 0,
    });
  });

  it('refuses the management account by name, before calling AWS', async () => {
    await createOrganization(moto, { credentialsManagement: true });
    await moto.resetCalls();
    const management = { accountId: MOTO_ACCOUNT, partition: 'aws' as const, managementAccountId: MOTO_ACCOUNT };
    const refused = deleteRootCredentials(motoClients(moto), management, aws());
    await expect(refused).rejects.toThrow(ManagementAccountRefused);
    await expect(refused).rejects.toThrow(`${MOTO_ACCOUNT} is the organization's management account`);
    expect((await moto.calls()).sts?.AssumeRoot).toBeUndefined();
    expect(
      (await motoClients(moto).iam.send(new GetAccountSummaryCommand({}))).SummaryMap?.AccountPasswordPresent,
    ).toBe(1);
  });

  it('fails with AWS AccessDenied when root credentials management is off', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: false });
    const member = { accountId: members[0]!, partition: 'aws' as const, managementAccountId: MOTO_ACCOUNT };
    await expect(deleteRootCredentials(motoClients(moto), member, aws())).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });
});

describe('auditRootMfa', () => {
  it("reports the true kind of a member root's device", async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    await moto.setRoot({ accountId: members[0]!, mfaActive: true, mfaKind: 'passkey' });
    const member = { accountId: members[0]!, partition: 'aws' as const, managementAccountId: MOTO_ACCOUNT };
    expect(await auditRootMfa(motoClients(moto), member, aws())).toEqual(['fido']);
  });
});
