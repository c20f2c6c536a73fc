import type { CheckId } from './checks/ids.js';

export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

/** The id of a registered check (checks/ids.ts, held to the registry by the compiler). */
export type { CheckId };

export const STATUSES = ['fail', 'error', 'grace', 'exempt', 'not_evaluated', 'pass', 'not_applicable'] as const;
export type Status = (typeof STATUSES)[number];

/** Most severe first. Each check has one (checks/*.ts); every format and the --severity filter use it. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What kind of second factor the root user has, as far as the IAM API can tell. */
export type RootMfaKind = 'none' | 'virtual' | 'hardware' | 'unknown';

/** How an MFA device serial reads: see mfa-device.ts. */
export type MfaDeviceKind = 'virtual' | 'fido' | 'hardware_totp' | 'sms' | 'unknown';

export const ROOT_PRINCIPAL = '<root_account>';

/** A tri-state value from the credential report: true, false or absent (N/A, not_supported, no_information). */
export type ReportFlag = boolean | null;

/** One row of the IAM credential report, with its special values already decoded. */
export interface CredentialReportRow {
  /** 1-based line number in the CSV, for error messages. */
  line: number;
  user: string;
  arn: string;
  userCreationTime: Date | null;
  /** `null` for the root row, where AWS always writes `not_supported`. */
  passwordEnabled: ReportFlag;
  passwordLastUsed: Date | null;
  passwordLastChanged: Date | null;
  mfaActive: boolean;
  accessKey1Active: boolean;
  accessKey2Active: boolean;
  /** access_key_N_last_used_date; absent when the report has no such column. */
  accessKey1LastUsed?: Date | null;
  accessKey2LastUsed?: Date | null;
}

/** A credential report row that could not be read; the rest of the report still counts. */
export interface UnreadableReportRow {
  line: number;
  /** The user column when the row had one, already quoted and made printable. */
  user?: string;
  reason: string;
}

export interface CredentialReport {
  generatedAt: Date;
  rows: CredentialReportRow[];
  unreadableRows?: UnreadableReportRow[];
}

/** GetAccountSummary values that describe the root user. Undefined fields were not reported. */
export interface RootAccountSummary {
  mfaEnabled: boolean;
  passwordPresent?: boolean;
  accessKeysPresent?: boolean;
  signingCertificatesPresent?: boolean;
}

export interface VirtualMfaDevice {
  serialNumber: string;
  userArn?: string;
}

/**
 * A member root's MFA devices as a root session lists them (IAMAuditRootUserCredentials, organization.auditRootMfa),
 * or why they could not be listed (the kind is then inferred, as without the audit).
 */
export type RootMfaAudit = { devices: MfaDeviceKind[] } | { error: string };

/** Everything the checks need about one account, gathered without any per-user fan-out. */
export interface AccountSnapshot {
  accountId: string;
  partition: Partition;
  alias?: string;
  credentialReport: CredentialReport;
  /** Absent when scanning an offline credential report, or when GetAccountSummary failed (summaryError). */
  summary?: RootAccountSummary;
  /** Why GetAccountSummary failed: the root checks become errors, the user checks stand. */
  summaryError?: AccountError;
  /** Assigned virtual devices; absent when not collected (offline). */
  virtualMfaDevices?: VirtualMfaDevice[];
  /** Serial numbers per IAM user, collected only for the opt-in user-hardware-mfa check. */
  userMfaDevices?: Record<string, string[]>;
  rootMfaAudit?: RootMfaAudit;
}

export interface Verdict {
  check: CheckId;
  accountId: string;
  principal: string;
  arn: string;
  status: Status;
  severity: Severity;
  reason: string;
  controls: string[];
  remediation: string;
  /** For `grace`: when the user must have MFA. For `exempt`: when the exemption ends. */
  deadline?: Date;
  exemption?: { reason: string; expires: Date };
  /**
   * user-console-mfa: the last use of an active access key of this user (credential report). The require-MFA policy
   * denies long-term keys without MFA, so enforcement asks first about users whose keys are in use.
   */
  keysLastUsed?: Date;
}

export interface Exemption {
  account: string;
  principal: string;
  reason: string;
  expires: Date;
  /** Limit the exemption to some checks; all checks when absent. */
  checks?: CheckId[];
  /** Who approved it (a name or Slack user ID), for the evidence report. */
  approvedBy?: string;
}

export interface CheckSettings {
  gracePeriodDays: number;
  rootHardwareMfa: boolean;
  userHardwareMfa: boolean;
}

export const DEFAULT_CHECK_SETTINGS: CheckSettings = {
  gracePeriodDays: 7,
  rootHardwareMfa: true,
  userHardwareMfa: false,
};

/** What the checks get besides the snapshot: settings and the clock. */
export interface CheckContext {
  settings: CheckSettings;
  now: Date;
}

export interface AccountError {
  code: string;
  message: string;
  hint?: string;
}

/** The outcome of scanning one account: a snapshot and its verdicts, or an error. */
export interface AccountResult {
  accountId: string;
  partition: Partition;
  alias?: string;
  /** The account's name in AWS Organizations, when scanned as part of one. */
  name?: string;
  credentialReportGeneratedAt?: Date;
  rootMfa: RootMfaKind;
  /** False when the root user has no credentials at all (centralized root access). */
  rootCredentialsPresent?: boolean;
  /** Organization scans with organization.auditRootMfa: what the root session listed, or why it could not. */
  rootMfaAudit?: RootMfaAudit;
  error?: AccountError;
  verdicts: Verdict[];
}

/** The organization's centralized root access (iam:ListOrganizationsFeatures), read by an organization scan. */
export interface OrgRootAccess {
  organizationId?: string;
  /** Never has its root credentials deleted centrally: AWS allows that for member accounts only. */
  managementAccountId?: string;
  /** RootCredentialsManagement: member roots' credentials can be audited and deleted from the management account. */
  credentialsManagement: boolean;
  /** RootSessions: privileged root tasks in members (unlocking S3 and SQS policies). */
  rootSessions: boolean;
  /** Why the features could not be read; both flags are then false. */
  error?: AccountError;
}

export interface ScanResult {
  generatedAt: Date;
  accounts: AccountResult[];
  /** Organization scans only. */
  rootAccess?: OrgRootAccess;
}
