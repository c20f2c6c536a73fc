import { readFileSync } from 'node:fs';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  EnableOrganizationsRootCredentialsManagementCommand,
  GetAccountSummaryCommand,
  IAMClient,
  EnableOrganizationsRootSessionsCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  EnableAWSServiceAccessCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { MOTO_ACCOUNT, motoClients } from './aws.js';
import type { MotoServer } from './moto/index.js';

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
export const MANAGEMENT_CREDENTIALS: Credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface OrgSetup {
  /** The organization's management account: moto's default account. */
  management: string;
  members: string[];
}

/**
 * An organization (all features) of the default account with `members` new accounts, set up with real SDK calls:
 * IAM's trusted access and the centralized root access features as asked.
 */
export async function createOrganization(
  moto: MotoServer,
  opts: { members?: number; trustedAccess?: boolean; credentialsManagement?: boolean; rootSessions?: boolean } = {},
): Promise<OrgSetup> {
  const org = new OrganizationsClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: MANAGEMENT_CREDENTIALS,
    maxAttempts: 1,
  });
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  for (let i = 0; i < (opts.members ?? 1); i++) {
    await org.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }));
  }
  if (opts.trustedAccess ?? true) {
    await org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'iam.amazonaws.com' }));
  }
  const { iam } = motoClients(moto);
  if (opts.credentialsManagement) await iam.send(new EnableOrganizationsRootCredentialsManagementCommand({}));
  if (opts.rootSessions) await iam.send(new EnableOrganizationsRootSessionsCommand({}));
  const { Accounts = [] } = await org.send(new ListAccountsCommand({}));
  return { management: MOTO_ACCOUNT, members: Accounts.map((a) => a.Id!).filter((id) => id !== MOTO_ACCOUNT) };
}

/** Credentials of an administrator in a member account (OrganizationAccountAccessRole). */
export async function memberAdmin(moto: MotoServer, accountId: string): Promise<Credentials> {
  const { Credentials: c } = await motoClients(moto).sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'admin',
    }),
  );
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
}

/** What a member account's GetAccountSummary says of its root user's password and access keys (1 or 0). */
export async function memberRootSummary(moto: MotoServer, accountId: string) {
  const iam = new IAMClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: await memberAdmin(moto, accountId),
    maxAttempts: 1,
  });
  const { SummaryMap = {} } = await iam.send(new GetAccountSummaryCommand({}));
  return { password: SummaryMap.AccountPasswordPresent, keys: SummaryMap.AccountAccessKeysPresent };
}

/**
 * Deploys policy/audit-role.cfn.yml as `mfa-bot-audit` with a member's credentials (as its StackSet instance would be),
 * trusting the bot's role in the default account; returns the stack status.
 */
export async function deployAuditStack(
  moto: MotoServer,
  credentials: Credentials,
  parameters: Record<string, string> = {},
): Promise<string | undefined> {
  const cfn = new CloudFormationClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  await cfn.send(
    new CreateStackCommand({
      StackName: 'mfa-bot-audit',
      TemplateBody: readFileSync('policy/audit-role.cfn.yml', 'utf8'),
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: Object.entries({ BotRoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/mfa-bot`, ...parameters }).map(
        ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
      ),
    }),
  );
  return (await cfn.send(new DescribeStacksCommand({ StackName: 'mfa-bot-audit' }))).Stacks?.[0]?.StackStatus;
}
