import { rootState, rootUnreadable } from '../root.js';
import { ROOT_PRINCIPAL } from '../types.js';
import { verdictOf, type Check } from './check.js';
import { cis } from './controls.js';

export const rootMfa: Check<'root-mfa'> = {
  id: 'root-mfa',
  title: 'The root user has MFA',
  label: 'Root MFA',
  scope: 'root',
  severity: 'critical',
  controls: [
    ...cis({
      '1.2.0': '1.13',
      '1.3.0': '1.5',
      '1.4.0': '1.5',
      '1.5.0': '1.5',
      '2.0.0': '1.5',
      '3.0.0': '1.5',
      '4.0.1': '1.5',
      '5.0.0': '1.4',
      '6.0.0': '2.4',
    }),
    'Security Hub IAM.9',
    'AWS Config root-account-mfa-enabled',
  ],
  remediation:
    'Sign in to the console as the root user (the account e-mail ' +
    'address), open the account menu, choose "Security credentials", ' +
    'and under "Multi-factor authentication (MFA)" choose "Assign MFA ' +
    'device". Prefer a security key or hardware token kept in a safe place; ' +
    'if a virtual app must be used, install it on a dedicated, company-managed device rather than a personal phone.',
  enabled: () => true,
  evaluate(snapshot) {
    const root = rootState(snapshot);
    const v = (status: Parameters<typeof verdictOf>[4], reason: string) => [
      verdictOf(rootMfa, snapshot, ROOT_PRINCIPAL, root.arn, status, reason),
    ];
    const unreadable = rootUnreadable(snapshot);
    if (unreadable) return v('error', unreadable);
    if (!root.credentialsPresent) {
      return v(
        'not_applicable',
        'The root user has no password and no access keys (centralized ' +
          'root access), so it cannot sign in and needs no MFA.',
      );
    }
    if (root.mfaEnabled === undefined) {
      return v(
        'not_evaluated',
        'Neither the account summary nor the credential report says whether the root user has MFA.',
      );
    }
    return root.mfaEnabled
      ? v('pass', 'The root user has MFA enabled.')
      : v('fail', 'The root user has no MFA: anyone with its password can take over the whole account.');
  },
};
