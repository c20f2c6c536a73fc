import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRootCommand } from '@aws-sdk/client-sts';
import type { Partition } from '../domain/types.js';
import { clientConfig, type AwsClients, type AwsOptions } from './clients.js';

/** The AWS managed policies that scope a root session; mfa-bot uses these two and no other. */
export const ROOT_TASKS = {
  delete: 'IAMDeleteRootUserCredentials',
  audit: 'IAMAuditRootUserCredentials',
} as const;
export type RootTask = keyof typeof ROOT_TASKS;

export function rootTaskPolicyArn(partition: Partition, task: RootTask): string {
  return `arn:${partition}:iam::aws:policy/root-task/${ROOT_TASKS[task]}`;
}

export interface MemberRoot {
  accountId: string;
  partition: Partition;
  /** The organization's management account (DescribeOrganization), whose root is never touched. */
  managementAccountId: string;
}

export class ManagementAccountRefused extends Error {
  override name = 'ManagementAccountRefused';
  constructor(accountId: string) {
    super(
      `${accountId} is the organization's management account: mfa-bot never deletes or audits its root through ` +
        'a root session (AWS allows that for member accounts only). ' +
        'Secure its root user by hand: MFA on, no access keys',
    );
  }
}

/** An IAM client acting as a member account's root user, for one task, for at most 15 minutes (sts:AssumeRoot). */
export async function rootSession(
  base: AwsClients,
  member: MemberRoot,
  task: RootTask,
  aws: AwsOptions,
): Promise<IAMClient> {
  if (member.accountId === member.managementAccountId) throw new ManagementAccountRefused(member.accountId);
  const { Credentials: c } = await base.sts.send(
    new AssumeRootCommand({
      TargetPrincipal: member.accountId,
      TaskPolicyArn: { arn: rootTaskPolicyArn(member.partition, task) },
      DurationSeconds: 900,
    }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey)
    throw Object.assign(new Error(`AssumeRoot into ${member.accountId} returned no credentials`), {
      name: 'AssumeRootFailed',
    });
  return new IAMClient(
    clientConfig({
      ...aws,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      },
    }),
  );
}
