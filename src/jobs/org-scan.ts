import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { callerAccount } from '../aws/account-snapshot.js';
import type { AwsClients, AwsOptions } from '../aws/clients.js';
import { describeAwsError } from '../aws/errors.js';
import { readRootAccess } from '../aws/root-features.js';
import { auditRootMfa } from '../aws/root-tasks.js';
import {
  assumeAccountClients,
  fetchAccountTags,
  listOrganizationAccounts,
  type OrgAccount,
} from '../aws/organization.js';
import type { Config } from '../config/schema.js';
import { erroredAccount } from '../domain/evaluate.js';
import { withRootAccess } from '../domain/root-access.js';
import type { AccountResult, OrgRootAccess, ScanResult } from '../domain/types.js';
import { mapLimit } from '../util/map-limit.js';
import { checkContext, scanAccount, type ScanOptions } from './scan.js';

export interface OrganizationSettings {
  roleName: string;
  externalId?: string;
  accounts?: string[];
  excludeAccounts?: string[];
  concurrency: number;
  accountTimeoutSeconds: number;
  /** Organizations account tag naming the account's owner (a Slack user ID or e-mail). */
  ownerTag?: string;
  /** With root sessions on: each member root's MFA devices, listed in a root session. */
  auditRootMfa?: boolean;
}

export interface OrgScan {
  scan: ScanResult;
  accounts: OrgAccount[];
  /** Clients for each account that could be entered, for follow-up calls such as tag reads. */
  clients: Map<string, AwsClients>;
}

class AccountTimeoutError extends Error {
  override name = 'AccountTimeout';
}

class AssumeRoleError extends Error {
  readonly hint: string;
  constructor(
    override readonly cause: unknown,
    roleName: string,
  ) {
    super(`cannot assume ${roleName}`);
    this.hint =
      `mfa-bot cannot assume the role ${roleName} in this account: deploy the audit role ` +
      `(policy/audit-role.cfn.yml) and check that it trusts the bot's role and external ID`;
  }
}

/** Runs `work` with a time limit; on expiry the signal stops its polling, and a late result is dropped. */
function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, seconds: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new AccountTimeoutError(`the account took longer than ${seconds} s to scan`);
      controller.abort(err);
      reject(err);
    }, seconds * 1000);
  });
  return Promise.race([work(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

/**
 * organization.auditRootMfa: where the organization has root sessions on, a member root's MFA devices as a root
 * session (IAMAuditRootUserCredentials) lists them; an AWS error is kept, and the kind is then inferred.
 */
function memberRootMfaAudit(
  base: AwsClients,
  rootAccess: Promise<OrgRootAccess>,
  aws: AwsOptions | undefined,
): NonNullable<ScanOptions['rootMfaAudit']> {
  return async ({ accountId, partition }) => {
    const access = await rootAccess;
    if (!access.rootSessions || accountId === access.managementAccountId) return undefined;
    const member = { accountId, partition, managementAccountId: access.managementAccountId ?? '' };
    try {
      return { devices: await auditRootMfa(base, member, aws) };
    } catch (err) {
      const { code, message } = describeAwsError(err);
      return { error: `${code}: ${message}` };
    }
  };
}

/** Whether `organization.accounts` and `excludeAccounts` let the bot into this account. */
export function inOrganizationScope(
  settings: Pick<OrganizationSettings, 'accounts' | 'excludeAccounts'>,
  accountId: string,
): boolean {
  if (settings.excludeAccounts?.includes(accountId)) return false;
  return !settings.accounts || settings.accounts.includes(accountId);
}

/**
 * Scans every account of the organization: the management account with its own credentials, each member
 * through AssumeRole into the audit role, a bounded number at a time, each within a time limit. An account
 * that cannot be entered or read becomes an `error` result; the others complete. The organization's centralized
 * root access comes with the result, and member roots that can be deleted centrally are told so.
 */
export async function scanOrganization(
  base: AwsClients,
  org: OrganizationsClient,
  config: Config,
  settings: OrganizationSettings,
  options: ScanOptions & { aws?: AwsOptions } = {},
): Promise<OrgScan> {
  const now = options.now ?? (() => new Date());
  const caller = await callerAccount(base.sts);
  const listed = settings.accounts
    ? settings.accounts.map((accountId) => ({ accountId }))
    : await listOrganizationAccounts(org);
  const accounts: OrgAccount[] = listed.filter((a) => inOrganizationScope(settings, a.accountId));
  if (settings.ownerTag && !settings.accounts) await fetchAccountTags(org, accounts);

  // Centralized root access decides the remedy for member roots; read alongside the accounts, never failing the scan.
  const rootAccess = readRootAccess(base.iam, org);
  const rootMfaAudit = settings.auditRootMfa ? memberRootMfaAudit(base, rootAccess, options.aws) : undefined;
  const clients = new Map<string, AwsClients>();
  let done = 0;
  const results = await mapLimit(accounts, settings.concurrency, async (account, index): Promise<AccountResult> => {
    options.onProgress?.({ kind: 'account-start', accountId: account.accountId, index, total: accounts.length });
    let result: AccountResult;
    try {
      result = await withTimeout(async (signal) => {
        const target =
          account.accountId === caller.accountId
            ? base
            : await assumeAccountClients(
                base,
                account.accountId,
                { roleName: settings.roleName, externalId: settings.externalId, partition: caller.partition },
                options.aws,
              ).catch((err: unknown) => {
                throw new AssumeRoleError(err, settings.roleName);
              });
        clients.set(account.accountId, target);
        const audit = rootMfaAudit && account.accountId !== caller.accountId ? { rootMfaAudit } : {};
        return scanAccount(target, config, { ...options, now, polling: { ...options.polling, signal }, ...audit });
      }, settings.accountTimeoutSeconds);
    } catch (err) {
      const error =
        err instanceof AssumeRoleError ? { ...describeAwsError(err.cause), hint: err.hint } : describeAwsError(err);
      result = erroredAccount(account.accountId, caller.partition, error, checkContext(config, now()));
    }
    if (account.name) result.name = account.name;
    options.onProgress?.({ kind: 'account-done', result, index: done++, total: accounts.length });
    return result;
  });
  const scan = withRootAccess({ generatedAt: now(), accounts: results }, await rootAccess);
  return { scan, accounts, clients };
}
