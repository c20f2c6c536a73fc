import type { AccountResult, OrgRootAccess, ScanResult, Verdict } from './types.js';

const ROOT_CHECKS = new Set(['root-mfa', 'root-hardware-mfa']);

/** One line for people: which centralized root access features the organization has. */
export function rootAccessSummary(access: OrgRootAccess): string {
  if (access.error) return `Centralized root access: unknown (${access.error.code}: ${access.error.message})`;
  const on = (flag: boolean) => (flag ? 'on' : 'off');
  return (
    `Centralized root access: root credentials management ${on(access.credentialsManagement)}, ` +
    `root sessions ${on(access.rootSessions)}`
  );
}

/**
 * Whether this account's root still has credentials that the organization could delete centrally: a member account
 * (never the management account), RootCredentialsManagement on, and a password, access key or signing certificate.
 */
export function rootCredentialsDeletable(access: OrgRootAccess | undefined, account: AccountResult): boolean {
  return Boolean(
    access?.credentialsManagement &&
      !account.error &&
      account.accountId !== access.managementAccountId &&
      account.rootCredentialsPresent !== false,
  );
}

export function deleteRootCredentialsRemediation(accountId: string): string {
  return (
    `This member account's root user needs no credentials: the organization has centralized root access ` +
    `(root credentials management). Delete them instead of adding MFA: in the management account, IAM → ` +
    `Root access management → account ${accountId} → "Delete root user credentials" (or mfa-bot's "Delete root ` +
    `credentials" button). The root checks then become not applicable.`
  );
}

/** The scan with its root access; each failing root finding of a deletable root says to delete the credentials. */
export function withRootAccess(scan: ScanResult, access: OrgRootAccess): ScanResult {
  const remedy = (account: AccountResult) => (v: Verdict) =>
    ROOT_CHECKS.has(v.check) && v.status === 'fail'
      ? { ...v, remediation: deleteRootCredentialsRemediation(account.accountId) }
      : v;
  return {
    ...scan,
    rootAccess: access,
    accounts: scan.accounts.map((a) =>
      rootCredentialsDeletable(access, a) ? { ...a, verdicts: a.verdicts.map(remedy(a)) } : a,
    ),
  };
}

/** What a root session deleted in a member account. */
export interface DeletedRootCredentials {
  password: boolean;
  accessKeys: number;
  signingCertificates: number;
  mfaDevices: number;
}

export type RootDeletionOutcome =
  | {
      kind: 'deleted';
      accountId: string;
      approver: string;
      deleted: DeletedRootCredentials;
      /** The account scanned again through its audit role: the root checks are not applicable once it worked. */
      account: AccountResult;
    }
  | { kind: 'refused'; accountId: string; approver: string; reason: string }
  /**
   * Another press claimed this deletion first: `by` approved it at `at`. `inProgress`: not recorded as done yet
   * (that press is still at it, or stopped before it could tell and the root still has credentials).
   */
  | { kind: 'already'; accountId: string; approver: string; by: string; at: Date; inProgress: boolean };
