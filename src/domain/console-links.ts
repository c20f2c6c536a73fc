import type { Partition } from './types.js';

/**
 * Console addresses per partition: the account's own sign-in page, and the page where an IAM user
 * manages their own credentials and MFA devices.
 */

const SIGN_IN_DOMAIN: Record<Partition, string> = {
  aws: 'signin.aws.amazon.com',
  'aws-us-gov': 'signin.amazonaws-us-gov.com',
  'aws-cn': 'signin.amazonaws.cn',
};

const CONSOLE_ORIGIN: Record<Partition, string> = {
  aws: 'https://console.aws.amazon.com',
  'aws-us-gov': 'https://console.amazonaws-us-gov.com',
  'aws-cn': 'https://console.amazonaws.cn',
};

const ACCOUNT_ID = /^\d{12}$/;
// Lowercase letters, digits and hyphens; 3 to 63 characters; no hyphen first or last.
const ACCOUNT_ALIAS = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

export function isValidAccountAlias(value: string): boolean {
  return ACCOUNT_ALIAS.test(value);
}

/** `https://<id-or-alias>.signin.…/console`; throws for anything that is neither a 12-digit ID nor a valid alias. */
export function signInUrl(partition: Partition, accountIdOrAlias: string): string {
  if (!isAccountId(accountIdOrAlias) && !isValidAccountAlias(accountIdOrAlias)) {
    throw new Error(`not an AWS account ID or alias: ${JSON.stringify(accountIdOrAlias)}`);
  }
  return `https://${accountIdOrAlias}.${SIGN_IN_DOMAIN[partition]}/console`;
}

/** The page where a signed-in IAM user manages their own password, access keys and MFA devices. */
export function securityCredentialsUrl(partition: Partition): string {
  return `${CONSOLE_ORIGIN[partition]}/iam/home#/security_credentials`;
}

/** The partition's console front door, for when the account can be named neither by alias nor by ID. */
export function consoleHomeUrl(partition: Partition): string {
  return `${CONSOLE_ORIGIN[partition]}/`;
}

export interface AccountRef {
  accountId: string;
  alias?: string;
  partition: Partition;
}

/** The account's sign-in URL: by alias when it is a valid alias, else by ID, else the partition's console. */
export function accountSignInUrl(account: AccountRef): string {
  if (account.alias !== undefined && isValidAccountAlias(account.alias))
    return signInUrl(account.partition, account.alias);
  if (isAccountId(account.accountId)) return signInUrl(account.partition, account.accountId);
  return consoleHomeUrl(account.partition);
}
