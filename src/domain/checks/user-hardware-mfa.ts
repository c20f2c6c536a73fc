import { classifyMfaSerial, isHardwareKind, MFA_KIND_LABEL } from '../mfa-device.js';
import { ROOT_PRINCIPAL } from '../types.js';
import { verdictOf, type Check } from './check.js';

export const userHardwareMfa: Check<'user-hardware-mfa'> = {
  id: 'user-hardware-mfa',
  title: "Console users' MFA includes a hardware device",
  label: 'Hardware MFA',
  scope: 'user',
  severity: 'medium',
  controls: [
    // No benchmark asks for hardware MFA on IAM users; IAM.19 is the nearest (MFA of any kind for every user).
    'Security Hub IAM.19 (related)',
    'AWS Config iam-user-mfa-enabled (related)',
  ],
  remediation:
    'Sign in as this IAM user, open "Security credentials" and register ' +
    'a passkey, FIDO security key or hardware TOTP token under ' +
    '"Multi-factor authentication (MFA)". Remove a legacy SMS device if one is listed.',
  enabled: (settings) => settings.userHardwareMfa,
  evaluate(snapshot) {
    return snapshot.credentialReport.rows
      .filter((row) => row.user !== ROOT_PRINCIPAL && row.passwordEnabled === true && row.mfaActive)
      .map((row) => {
        const v = (status: Parameters<typeof verdictOf>[4], reason: string) =>
          verdictOf(userHardwareMfa, snapshot, row.user, row.arn, status, reason);
        const serials = snapshot.userMfaDevices?.[row.user];
        if (serials === undefined) return v('not_evaluated', "This user's MFA devices were not listed.");
        const kinds = serials.map(classifyMfaSerial);
        if (kinds.some(isHardwareKind))
          return v('pass', `MFA includes a ${MFA_KIND_LABEL[kinds.find(isHardwareKind)!]}.`);
        const seen = kinds.length ? [...new Set(kinds)].map((k) => MFA_KIND_LABEL[k]).join(', ') : 'none listed';
        return v('fail', `No hardware MFA device; devices seen: ${seen}.`);
      });
  },
};
