import { isHardwareKind } from '../mfa-device.js';
import { auditedDevicesText, rootState, rootUnreadable, type RootState } from '../root.js';
import { ROOT_PRINCIPAL } from '../types.js';
import { verdictOf, type Check } from './check.js';
import { cis } from './controls.js';

export const rootHardwareMfa: Check<'root-hardware-mfa'> = {
  id: 'root-hardware-mfa',
  title: "The root user's MFA is a hardware device",
  label: 'Root hardware MFA',
  scope: 'root',
  severity: 'high',
  controls: [
    ...cis({
      '1.2.0': '1.14',
      '1.3.0': '1.6',
      '1.4.0': '1.6',
      '1.5.0': '1.6',
      '2.0.0': '1.6',
      '3.0.0': '1.6',
      '4.0.1': '1.6',
      '5.0.0': '1.5',
      '6.0.0': '2.5',
    }),
    'Security Hub IAM.6',
    'AWS Config root-account-hardware-mfa-enabled',
  ],
  remediation:
    'Sign in as the root user, open "Security credentials", ' +
    'register a FIDO security key or a hardware TOTP token under ' +
    '"Multi-factor authentication (MFA)", then remove the virtual MFA ' +
    'device. Store the hardware device somewhere safe that more than one ' +
    'trusted person can reach.',
  enabled: (settings) => settings.rootHardwareMfa,
  evaluate(snapshot) {
    const root = rootState(snapshot);
    const v = (status: Parameters<typeof verdictOf>[4], reason: string) => [
      verdictOf(rootHardwareMfa, snapshot, ROOT_PRINCIPAL, root.arn, status, `${reason}${auditNote(root)}`),
    ];
    if (root.audited && root.credentialsPresent && !rootUnreadable(snapshot)) return v(...auditedVerdict(root.audited));
    const unreadable = rootUnreadable(snapshot);
    if (unreadable) return v('error', unreadable);
    if (!root.credentialsPresent) {
      return v(
        'not_applicable',
        'The root user has no credentials (centralized root access); there is no MFA device to judge.',
      );
    }
    switch (root.kind) {
      case 'none':
        return v('fail', 'The root user has no MFA device at all, hardware or virtual.');
      case 'virtual':
        return v(
          'fail',
          `The root user has a virtual MFA device assigned (${root.virtualSerials.join(', ')}). ` +
            'Any security key it may also have does not change that: a virtual ' +
            'device is a phone app that can be copied or lost with the phone.',
        );
      case 'hardware':
        return v(
          'pass',
          'The root user has MFA and no virtual device is assigned ' +
            'to it, so its MFA is a security key or hardware token.',
        );
      case 'unknown':
        return v(
          'not_evaluated',
          'The kind of the root MFA device cannot be told without ' +
            'ListVirtualMFADevices (for example from an offline credential report).',
        );
    }
  },
};

/** The root's devices, as a root session listed them (organization.auditRootMfa): the kind is known, not inferred. */
function auditedVerdict(kinds: NonNullable<RootState['audited']>): ['pass' | 'fail' | 'not_evaluated', string] {
  const listed =
    'As a root session lists them (IAMAuditRootUserCredentials), ' +
    `the root user's MFA devices are: ${auditedDevicesText(kinds)}.`;
  if (kinds.length === 0) return ['fail', `${listed} It has no MFA device at all, hardware or virtual.`];
  if (kinds.includes('virtual'))
    return ['fail', `${listed} A virtual device is a phone app that can be copied or lost with the phone.`];
  if (kinds.every(isHardwareKind)) return ['pass', listed];
  return ['not_evaluated', `${listed} Whether that is a hardware device cannot be told.`];
}

function auditNote(root: RootState): string {
  return root.auditError
    ? ` (The root session that lists root's MFA devices failed: ${root.auditError}. The kind is inferred instead.)`
    : '';
}
