import type { MfaDeviceKind, Partition } from './types.js';

const ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:([a-z0-9-]+)\/.+$/;

/**
 * Reads the kind of an MFA device from its serial number, the only thing IAM reveals about it:
 * virtual devices and FIDO keys have ARNs of their own resource types, a hardware TOTP token has a
 * plain serial printed on it, and legacy SMS devices use the `sms-mfa` resource type.
 */
export function classifyMfaSerial(serial: string): MfaDeviceKind {
  const arn = ARN.exec(serial);
  if (!arn) {
    if (serial === 'sms-mfa' || serial.startsWith('sms-mfa/')) return 'sms';
    return serial.startsWith('arn:') ? 'unknown' : 'hardware_totp';
  }
  switch (arn[2]) {
    case 'mfa':
      return 'virtual';
    case 'u2f':
      return 'fido';
    case 'sms-mfa':
      return 'sms';
    default:
      return 'unknown';
  }
}

export function isHardwareKind(kind: MfaDeviceKind): boolean {
  return kind === 'fido' || kind === 'hardware_totp';
}

export const MFA_KIND_LABEL: Record<MfaDeviceKind, string> = {
  virtual: 'virtual authenticator app',
  fido: 'FIDO security key or passkey',
  hardware_totp: 'hardware TOTP token',
  sms: 'legacy SMS',
  unknown: 'unrecognised device',
};

export function rootArn(partition: Partition, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

export function partitionOfArn(arn: string): Partition | undefined {
  const m = /^arn:(aws|aws-us-gov|aws-cn):/.exec(arn);
  return m ? (m[1] as Partition) : undefined;
}
