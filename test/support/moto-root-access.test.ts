import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  DisableOrganizationsRootSessionsCommand,
  EnableOrganizationsRootCredentialsManagementCommand,
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListOrganizationsFeaturesCommand,
  ListSigningCertificatesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { RegisterDelegatedAdministratorCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRootCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { MOTO_ACCOUNT, motoClients } from './aws.js';
import { createOrganization, MANAGEMENT_CREDENTIALS, memberAdmin, type Credentials } from './org.js';
import { useMoto } from './use-moto.js';

const moto = useMoto();
const DELETE_TASK = 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials';
const AUDIT_TASK = 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials';

const client = <T>(Client: new (c: object) => T, credentials: Credentials = MANAGEMENT_CREDENTIALS): T =>
  new Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

async function assumeRoot(target: string, task = DELETE_TASK, from: Credentials = MANAGEMENT_CREDENTIALS) {
  const { Credentials: c } = await client(STSClient, from).send(
    new AssumeRootCommand({ TargetPrincipal: target, TaskPolicyArn: { arn: task } }),
  );
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
}

async function summary(iam: IAMClient) {
  const { SummaryMap = {} } = await iam.send(new GetAccountSummaryCommand({}));
  const { AccountMFAEnabled, AccountPasswordPresent, AccountAccessKeysPresent, AccountSigningCertificatesPresent } =
    SummaryMap;
  return { AccountMFAEnabled, AccountPasswordPresent, AccountAccessKeysPresent, AccountSigningCertificatesPresent };
}

describe('iam:ListOrganizationsFeatures', () => {
  it('lists the features the management account enabled, with the organization ID', async () => {
    await createOrganization(moto, { credentialsManagement: true });
    const iam = motoClients(moto).iam;
    const features = await iam.send(new ListOrganizationsFeaturesCommand({}));
    expect(features.OrganizationId).toMatch(/^o-[a-z0-9]{10,32}$/);
    expect(features.EnabledFeatures).toEqual(['RootCredentialsManagement']);
    await iam.send(new EnableOrganizationsRootCredentialsManagementCommand({}));
    await iam.send(new DisableOrganizationsRootSessionsCommand({}));
    expect((await iam.send(new ListOrganizationsFeaturesCommand({}))).EnabledFeatures).toEqual([
      'RootCredentialsManagement',
    ]);
  });

  it('OrganizationNotFound outside an organization', async () => {
    await expect(motoClients(moto).iam.send(new ListOrganizationsFeaturesCommand({}))).rejects.toMatchObject({
      name: 'OrganizationNotFound',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('ServiceAccessNotEnabled without trusted access for IAM in Organizations', async () => {
    await createOrganization(moto, { trustedAccess: false });
    await expect(motoClients(moto).iam.send(new ListOrganizationsFeaturesCommand({}))).rejects.toMatchObject({
      name: 'ServiceAccessNotEnabled',
    });
  });

  it('AccountNotManagementOrDelegatedAdministrator from a member, until it is IAM delegated admin', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    const memberIam = client(IAMClient, await memberAdmin(moto, members[0]!));
    await expect(memberIam.send(new ListOrganizationsFeaturesCommand({}))).rejects.toMatchObject({
      name: 'AccountNotManagementOrDelegatedAdministrator',
      $metadata: { httpStatusCode: 400 },
    });
    await client(OrganizationsClient).send(
      new RegisterDelegatedAdministratorCommand({ AccountId: members[0]!, ServicePrincipal: 'iam.amazonaws.com' }),
    );
    expect((await memberIam.send(new ListOrganizationsFeaturesCommand({}))).EnabledFeatures).toEqual([
      'RootCredentialsManagement',
    ]);
  });
});

describe('sts:AssumeRoot', () => {
  it("deletes a member root's password, access keys and signing certificates and deactivates its MFA", async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    const member = members[0]!;
    await moto.setRoot({
      accountId: member,
      accessKeysPresent: true,
      signingCertificatesPresent: true,
      mfaActive: true,
      mfaKind: 'passkey',
    });
    const memberIam = client(IAMClient, await memberAdmin(moto, member));
    expect(await summary(memberIam)).toEqual({
      AccountMFAEnabled: 1,
      AccountPasswordPresent: 1,
      AccountAccessKeysPresent: 1,
      AccountSigningCertificatesPresent: 1,
    });

    const root = client(IAMClient, await assumeRoot(member));
    expect((await client(STSClient, await assumeRoot(member)).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:iam::${member}:root`,
    );
    await root.send(new DeleteLoginProfileCommand({}));
    for (const k of (await root.send(new ListAccessKeysCommand({}))).AccessKeyMetadata ?? [])
      await root.send(new DeleteAccessKeyCommand({ AccessKeyId: k.AccessKeyId! }));
    for (const c of (await root.send(new ListSigningCertificatesCommand({}))).Certificates ?? [])
      await root.send(new DeleteSigningCertificateCommand({ CertificateId: c.CertificateId! }));
    const { MFADevices = [] } = await root.send(new ListMFADevicesCommand({}));
    expect(MFADevices.map((d) => d.SerialNumber)).toEqual([expect.stringMatching(/:u2f\/root\//)]);
    await root.send(new DeactivateMFADeviceCommand({ SerialNumber: MFADevices[0]!.SerialNumber! }));

    expect(await summary(memberIam)).toEqual({
      AccountMFAEnabled: 0,
      AccountPasswordPresent: 0,
      AccountAccessKeysPresent: 0,
      AccountSigningCertificatesPresent: 0,
    });
    await memberIam.send(new GenerateCredentialReportCommand({}));
    const report = new TextDecoder().decode((await memberIam.send(new GetCredentialReportCommand({}))).Content);
    const rootRow = report.split('\n')[1]!.split(',');
    expect([rootRow[0], rootRow[7], rootRow[8], rootRow[18]]).toEqual(['<root_account>', 'false', 'false', 'false']);
    // Deleting twice: nothing left.
    await expect(root.send(new DeleteLoginProfileCommand({}))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    // The management account's own root is untouched.
    expect((await summary(motoClients(moto).iam)).AccountPasswordPresent).toBe(1);
  });

  it('scopes the session to its task policy: an audit session reads, and may not delete or do more', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: true });
    await moto.setRoot({ accountId: members[0]!, mfaActive: true });
    const audit = client(IAMClient, await assumeRoot(`arn:aws:iam::${members[0]!}:root`, AUDIT_TASK));
    expect((await audit.send(new ListMFADevicesCommand({}))).MFADevices?.[0]?.SerialNumber).toMatch(/^GAHT/);
    const denied = { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } };
    await expect(audit.send(new DeleteLoginProfileCommand({}))).rejects.toMatchObject(denied);
    await expect(audit.send(new ListUsersCommand({}))).rejects.toMatchObject(denied);
  });

  it('refuses the management account, other task policies, a disabled feature and long sessions', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: false, members: 1 });
    const sts = client(STSClient);
    const send = (TargetPrincipal: string, arn = DELETE_TASK, DurationSeconds?: number) =>
      sts.send(new AssumeRootCommand({ TargetPrincipal, TaskPolicyArn: { arn }, DurationSeconds }));
    await expect(send(members[0]!)).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('RootCredentialsManagement'),
      $metadata: { httpStatusCode: 403 },
    });
    await motoClients(moto).iam.send(new EnableOrganizationsRootCredentialsManagementCommand({}));
    await expect(send(MOTO_ACCOUNT)).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('management account'),
    });
    await expect(send(members[0]!, 'arn:aws:iam::aws:policy/AdministratorAccess')).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await expect(send(members[0]!, DELETE_TASK, 3600)).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(send('999999999999')).rejects.toMatchObject({ name: 'AccessDenied' });
    // A member that is not IAM's delegated administrator may not call it.
    const fromMember = client(STSClient, await memberAdmin(moto, members[0]!));
    await expect(
      fromMember.send(new AssumeRootCommand({ TargetPrincipal: members[0]!, TaskPolicyArn: { arn: DELETE_TASK } })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    expect((await send(members[0]!)).Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });
});
