import {
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListTagsForResource,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { Partition } from '../domain/types.js';
import { mapLimit } from '../util/map-limit.js';
import { clientConfig, createAwsClients, type AwsClients, type AwsOptions } from './clients.js';

export interface OrgAccount {
  accountId: string;
  name?: string;
  email?: string;
  /** Organizations account tags, read only when an owner tag is configured. */
  tags?: Record<string, string>;
}

/**
 * Every ACTIVE account of the organization the credentials belong to (call from the management or a delegated account).
 */
export async function listOrganizationAccounts(org: OrganizationsClient): Promise<OrgAccount[]> {
  const accounts: OrgAccount[] = [];
  for await (const page of paginateListAccounts({ client: org }, {})) {
    for (const a of page.Accounts ?? []) {
      // Status is deprecated in favour of State; accept either, so SUSPENDED or closing accounts are skipped.
      const state = (a as { State?: string }).State ?? a.Status;
      if (a.Id && state === 'ACTIVE')
        accounts.push({ accountId: a.Id, ...(a.Name ? { name: a.Name } : {}), ...(a.Email ? { email: a.Email } : {}) });
    }
  }
  return accounts;
}

export async function fetchAccountTags(
  org: OrganizationsClient,
  accounts: OrgAccount[],
  concurrency = 4,
): Promise<void> {
  await mapLimit(accounts, concurrency, async (account) => {
    const tags: Record<string, string> = {};
    for await (const page of paginateListTagsForResource({ client: org }, { ResourceId: account.accountId })) {
      for (const t of page.Tags ?? []) if (t.Key) tags[t.Key] = t.Value ?? '';
    }
    account.tags = tags;
  });
}

export interface AssumeOptions {
  roleName: string;
  externalId?: string;
  partition: Partition;
  sessionName?: string;
}

/** Clients for a member account, through STS AssumeRole into its audit role. */
export async function assumeAccountClients(
  base: AwsClients,
  accountId: string,
  options: AssumeOptions,
  aws: AwsOptions = {},
): Promise<AwsClients> {
  const { Credentials: c } = await base.sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:${options.partition}:iam::${accountId}:role/${options.roleName}`,
      RoleSessionName: options.sessionName ?? 'mfa-bot-scan',
      DurationSeconds: 3600,
      ...(options.externalId ? { ExternalId: options.externalId } : {}),
    }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey)
    throw Object.assign(new Error(`AssumeRole into ${accountId} returned no credentials`), {
      name: 'AssumeRoleFailed',
    });
  return createAwsClients({
    ...aws,
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    },
  });
}

export function createOrganizationsClient(aws: AwsOptions = {}): OrganizationsClient {
  return new OrganizationsClient(clientConfig(aws));
}

/** Every account under an organizational unit, in nested OUs too. */
export async function accountsUnderOu(org: OrganizationsClient, ouId: string): Promise<string[]> {
  const accounts: string[] = [];
  const pending = [ouId];
  while (pending.length > 0) {
    const parent = pending.pop()!;
    for await (const page of paginateListAccountsForParent({ client: org }, { ParentId: parent })) {
      for (const a of page.Accounts ?? []) if (a.Id) accounts.push(a.Id);
    }
    for await (const page of paginateListOrganizationalUnitsForParent({ client: org }, { ParentId: parent })) {
      for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) pending.push(ou.Id);
    }
  }
  return accounts;
}
