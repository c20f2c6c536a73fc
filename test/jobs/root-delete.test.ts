import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { deleteMemberRootCredentials } from '../../src/jobs/root-delete.js';
import { MOTO_ACCOUNT, motoClients } from '../support/aws.js';
import { createOrganization, MANAGEMENT_CREDENTIALS } from '../support/org.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const APPROVER = 'UAPPROVER01';
const config = parseConfig({ organization: { roleName: 'MfaBotAudit' } });

function deps() {
  const awsOptions = {
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: MANAGEMENT_CREDENTIALS,
    maxAttempts: 1,
  };
  return { aws: motoClients(moto), org: new OrganizationsClient(awsOptions), config, awsOptions };
}

const rootStatuses = (verdicts: Array<{ check: string; principal: string; status: string }>) =>
  verdicts.filter((v) => v.principal === '<root_account>').map((v) => [v.check, v.status]);

describe('deleteMemberRootCredentials', () => {
  it('deletes through AssumeRoot and scans again: the root checks become not_applicable', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    await moto.setRoot({ accountId: members[0]!, accessKeysPresent: true, signingCertificatesPresent: true });
    const outcome = await deleteMemberRootCredentials(deps(), members[0]!, APPROVER);
    expect(outcome).toMatchObject({
      kind: 'deleted',
      accountId: members[0],
      approver: APPROVER,
      deleted: { password: true, accessKeys: 1, signingCertificates: 1, mfaDevices: 0 },
    });
    if (outcome.kind !== 'deleted') throw new Error('not deleted');
    expect(outcome.account.rootCredentialsPresent).toBe(false);
    expect(rootStatuses(outcome.account.verdicts)).toEqual([
      ['root-mfa', 'not_applicable'],
      ['root-hardware-mfa', 'not_applicable'],
    ]);
  });

  it('refuses the management account by name, and calls no AssumeRoot', async () => {
    await createOrganization(moto, { credentialsManagement: true });
    await moto.resetCalls();
    const outcome = await deleteMemberRootCredentials(deps(), MOTO_ACCOUNT, APPROVER);
    expect(outcome).toMatchObject({ kind: 'refused', reason: expect.stringContaining('management account') });
    expect((await moto.calls()).sts?.AssumeRoot).toBeUndefined();
  });

  it('refuses while root credentials management is off, saying where to turn it on', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: false });
    const outcome = await deleteMemberRootCredentials(deps(), members[0]!, APPROVER);
    expect(outcome).toMatchObject({ kind: 'refused', reason: expect.stringContaining('Root access management') });
  });

  it('says what AWS refused', async () => {
    await createOrganization(moto, { credentialsManagement: true });
    const outcome = await deleteMemberRootCredentials(deps(), '999999999999', APPROVER);
    expect(outcome).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^AccessDenied: .*not a member/) });
  });
});
