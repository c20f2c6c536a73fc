import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { readRootAccess } from '../../src/aws/root-features.js';
import { MOTO_ACCOUNT, motoClients } from '../support/aws.js';
import { createOrganization, MANAGEMENT_CREDENTIALS } from '../support/org.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const org = () =>
  new OrganizationsClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: MANAGEMENT_CREDENTIALS,
    maxAttempts: 1,
  });

describe('readRootAccess', () => {
  it('reads the features and the management account', async () => {
    await createOrganization(moto, { credentialsManagement: true });
    const access = await readRootAccess(motoClients(moto).iam, org());
    expect(access).toEqual({
      organizationId: expect.stringMatching(/^o-/),
      managementAccountId: MOTO_ACCOUNT,
      credentialsManagement: true,
      rootSessions: false,
    });
  });

  it('says why it cannot read them, with the fix, and does not throw', async () => {
    await createOrganization(moto, { trustedAccess: false });
    expect(await readRootAccess(motoClients(moto).iam, org())).toEqual({
      credentialsManagement: false,
      rootSessions: false,
      error: {
        code: 'ServiceAccessNotEnabled',
        message: expect.stringContaining('Trusted access'),
        hint: expect.stringContaining('enable trusted access for IAM'),
      },
    });
  });
});
