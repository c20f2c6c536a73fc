import { callerAccount, type CallerAccount } from '../aws/account-snapshot.js';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { AwsClients, AwsOptions } from '../aws/clients.js';
import { accountsUnderOu, assumeAccountClients, createOrganizationsClient } from '../aws/organization.js';
import type { Config } from '../config/schema.js';
import type { ScanResult } from '../domain/types.js';
import { inOrganizationScope, scanOrganization } from './org-scan.js';
import { scanCurrentAccount, type ScanOptions } from './scan.js';

export interface ScanRun {
  scan: ScanResult;
  /** Clients for follow-up calls (tag reads) in an account this scan could enter. */
  clientsFor: (accountId: string) => AwsClients | undefined;
  /** Account owners named by the Organizations account tag `organization.ownerTag` (Slack user IDs). */
  taggedOwners: Map<string, string>;
  /** The accounts under each OU that slack.routes names (nested OUs included). */
  ouAccounts: Map<string, string[]>;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** The organization when the config has one (or `org` is forced), otherwise the account of the credentials. */
export async function scanConfigured(
  aws: AwsClients,
  config: Config,
  options: ScanOptions & { aws?: AwsOptions; org?: OrganizationsClient } = {},
): Promise<ScanRun> {
  if (config.organization) {
    const orgClient = options.org ?? createOrganizationsClient(options.aws);
    const org = await scanOrganization(aws, orgClient, config, config.organization, options);
    const ouAccounts = new Map<string, string[]>();
    for (const ou of new Set(config.slack.routes.flatMap((r) => r.ous))) {
      // An OU that cannot be listed routes nothing; the full digest still covers its accounts.
      ouAccounts.set(ou, await accountsUnderOu(orgClient, ou).catch(() => []));
    }
    const ownerTag = config.organization.ownerTag;
    const taggedOwners = new Map<string, string>();
    for (const a of org.accounts) {
      const owner = ownerTag ? a.tags?.[ownerTag]?.trim() : undefined;
      if (owner && SLACK_USER_ID.test(owner)) taggedOwners.set(a.accountId, owner);
    }
    return { scan: org.scan, clientsFor: (id) => org.clients.get(id), taggedOwners, ouAccounts };
  }
  const scan = await scanCurrentAccount(aws, config, options);
  const own = scan.accounts[0]?.accountId;
  return { scan, clientsFor: (id) => (id === own ? aws : undefined), taggedOwners: new Map(), ouAccounts: new Map() };
}

const ASSUMED_FOR_MS = 50 * 60_000;

/**
 * Clients for a live check in any scanned account: the bot's own for its account, and for a member of the
 * organization an AssumeRole into the audit role, kept for 50 minutes (the session lasts an hour).
 */
export function accountClientsResolver(
  aws: AwsClients,
  config: Config,
  awsOptions: AwsOptions = {},
): (accountId: string) => Promise<AwsClients | undefined> {
  let caller: Promise<CallerAccount | undefined> | undefined;
  const assumed = new Map<string, { clients: AwsClients; until: number }>();
  return async (accountId) => {
    caller ??= callerAccount(aws.sts).catch(() => undefined);
    const me = await caller;
    if (me?.accountId === accountId) return aws;
    const org = config.organization;
    if (!org || !me || !inOrganizationScope(org, accountId)) return undefined;
    const cached = assumed.get(accountId);
    if (cached && cached.until > Date.now()) return cached.clients;
    const clients = await assumeAccountClients(
      aws,
      accountId,
      { roleName: org.roleName, externalId: org.externalId, partition: me.partition },
      awsOptions,
    ).catch(() => undefined);
    if (clients) assumed.set(accountId, { clients, until: Date.now() + ASSUMED_FOR_MS });
    return clients;
  };
}
