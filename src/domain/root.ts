import { isHardwareKind, MFA_KIND_LABEL, rootArn } from './mfa-device.js';
import {
  ROOT_PRINCIPAL,
  type AccountSnapshot,
  type CredentialReportRow,
  type MfaDeviceKind,
  type RootMfaKind,
} from './types.js';

export interface RootState {
  arn: string;
  row?: CredentialReportRow;
  /** False only when GetAccountSummary says there is neither a password nor an access key. */
  credentialsPresent: boolean;
  /** Undefined when neither the account summary nor the credential report says. */
  mfaEnabled?: boolean;
  kind: RootMfaKind;
  virtualSerials: string[];
  /** The kinds of the root's devices as a root session listed them (organization.auditRootMfa). */
  audited?: MfaDeviceKind[];
  /** Why that audit failed: `kind` is then inferred, as without it. */
  auditError?: string;
}

/** The root MFA kind from the devices a root session listed: no guess left. */
function auditedKind(kinds: readonly MfaDeviceKind[]): RootMfaKind {
  if (kinds.length === 0) return 'none';
  if (kinds.includes('virtual')) return 'virtual';
  return kinds.every(isHardwareKind) ? 'hardware' : 'unknown';
}

/** `FIDO security key or passkey, hardware TOTP token`, or `none`. */
export function auditedDevicesText(kinds: readonly MfaDeviceKind[]): string {
  return kinds.length ? kinds.map((k) => MFA_KIND_LABEL[k]).join(', ') : 'none';
}

/** The reason the root checks cannot be judged, when the account summary they rely on could not be read. */
export function rootUnreadable(snapshot: AccountSnapshot): string | undefined {
  const e = snapshot.summaryError;
  return (
    e &&
    'GetAccountSummary, which says whether the root user has MFA, ' +
      `failed: ${e.code}: ${e.message}${e.hint ? ` (${e.hint})` : ''}.`
  );
}

export function rootState(snapshot: AccountSnapshot): RootState {
  const arn = rootArn(snapshot.partition, snapshot.accountId);
  const row = snapshot.credentialReport.rows.find((r) => r.user === ROOT_PRINCIPAL);
  if (snapshot.summaryError) return { arn, row, credentialsPresent: true, kind: 'unknown', virtualSerials: [] };
  const summary = snapshot.summary;
  const credentialsPresent = !(summary?.passwordPresent === false && summary.accessKeysPresent === false);
  // Exact ARN match: custom serial names exist, and a user called "rootadmin" is not the root user.
  const virtualSerials = (snapshot.virtualMfaDevices ?? []).filter((d) => d.userArn === arn).map((d) => d.serialNumber);
  // The account summary is live; the credential report can be up to four hours old.
  const reported = summary ? summary.mfaEnabled : row?.mfaActive;
  const mfaEnabled = virtualSerials.length > 0 ? true : reported;

  const audit = snapshot.rootMfaAudit;
  if (audit && 'devices' in audit) {
    const audited = audit.devices;
    return {
      arn,
      row,
      credentialsPresent,
      mfaEnabled: audited.length > 0,
      kind: auditedKind(audited),
      virtualSerials,
      audited,
    };
  }
  const auditError = audit && 'error' in audit ? { auditError: audit.error } : {};

  let kind: RootMfaKind;
  if (mfaEnabled === undefined) kind = 'unknown';
  else if (!mfaEnabled) kind = 'none';
  else if (virtualSerials.length > 0) kind = 'virtual';
  else if (snapshot.virtualMfaDevices === undefined) kind = 'unknown';
  else kind = 'hardware';

  return { arn, row, credentialsPresent, mfaEnabled, kind, virtualSerials, ...auditError };
}
