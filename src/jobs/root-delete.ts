import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { callerAccount } from '../aws/account-snapshot.js';
import type { AwsClients, AwsOptions } from '../aws/clients.js';
import { describeAwsError } from '../aws/errors.js';
import { assumeAccountClients } from '../aws/organization.js';
import { ManagementAccountRefused } from '../aws/root-credentials.js';
import { readRootAccess } from '../aws/root-features.js';
import { deleteRootCredentials } from '../aws/root-tasks.js';
import type { Config } from '../config/schema.js';
import type { RootDeletionOutcome } from '../domain/root-access.js';
import { scanAccount } from './scan.js';

export type { RootDeletionOutcome } from '../domain/root-access.js';

export interface RootDeletionDeps {
  /** Clients of the management account (or IAM's delegated administrator), where mfa-bot runs. */
  aws: AwsClients;
  org: OrganizationsClient;
  config: Config;
  awsOptions?: AwsOptions;
  now?: () => Date;
}

/**
 * Deletes a member account's root credentials, as `approver` (a Slack user the caller checked with
 * approversFromConfig) decided: only with root credentials management on, never in the management account; then
 * scans the account again through its audit role. AWS failures come back as a refusal that says what went wrong.
 */
export async function deleteMemberRootCredentials(
  deps: RootDeletionDeps,
  accountId: string,
  approver: string,
): Promise<RootDeletionOutcome> {
  const refused = (reason: string): RootDeletionOutcome => ({ kind: 'refused', accountId, approver, reason });
  const organization = deps.config.organization;
  if (!organization)
    return refused('root credentials are deleted from the management account: add an `organization` section');
  const access = await readRootAccess(deps.aws.iam, deps.org);
  if (access.error) {
    const { code, message, hint } = access.error;
    return refused(`cannot read centralized root access: ${code}: ${message}${hint ? ` (${hint})` : ''}`);
  }
  if (!access.credentialsManagement)
    return refused(
      'root credentials management is off in this organization: turn it on in the management account ' +
        '(IAM → Root access management), or secure this root user by hand',
    );
  try {
    const caller = await callerAccount(deps.aws.sts);
    const member = { accountId, partition: caller.partition, managementAccountId: access.managementAccountId ?? '' };
    const deleted = await deleteRootCredentials(deps.aws, member, deps.awsOptions);
    const target = await assumeAccountClients(
      deps.aws,
      accountId,
      { roleName: organization.roleName, externalId: organization.externalId, partition: caller.partition },
      deps.awsOptions,
    );
    const account = await scanAccount(target, deps.config, { ...(deps.now ? { now: deps.now } : {}) });
    return { kind: 'deleted', accountId, approver, deleted, account };
  } catch (err) {
    if (err instanceof ManagementAccountRefused) return refused(err.message);
    const { code, message, hint } = describeAwsError(err);
    return refused(`${code}: ${message}${hint ? ` (${hint})` : ''}`);
  }
}
