import type { CheckId } from '../types.js';

function cis(byVersion: Record<string, string>): string[] {
  return Object.entries(byVersion).map(([version, rec]) => `CIS AWS Foundations v${version} ${rec}`);
}

/**
 * Compliance mappings: CIS recommendation numbers per benchmark version (the numbering moved in v5.0.0
 * and again in v6.0.0), Security Hub control IDs and AWS Config managed rules.
 */
export const CONTROLS: Record<CheckId, string[]> = {
  'root-mfa': [
    ...cis({ '1.2.0': '1.13', '1.3.0': '1.5', '1.4.0': '1.5', '1.5.0': '1.5', '2.0.0': '1.5', '3.0.0': '1.5', '4.0.1': '1.5', '5.0.0': '1.4', '6.0.0': '2.4' }),
    'Security Hub IAM.9',
    'AWS Config root-account-mfa-enabled',
  ],
  'root-hardware-mfa': [
    ...cis({ '1.2.0': '1.14', '1.3.0': '1.6', '1.4.0': '1.6', '1.5.0': '1.6', '2.0.0': '1.6', '3.0.0': '1.6', '4.0.1': '1.6', '5.0.0': '1.5', '6.0.0': '2.5' }),
    'Security Hub IAM.6',
    'AWS Config root-account-hardware-mfa-enabled',
  ],
  'user-console-mfa': [
    ...cis({ '1.2.0': '1.2', '1.3.0': '1.10', '1.4.0': '1.10', '1.5.0': '1.10', '2.0.0': '1.10', '3.0.0': '1.10', '4.0.1': '1.10', '5.0.0': '1.9', '6.0.0': '2.9' }),
    'Security Hub IAM.5',
    'AWS Config mfa-enabled-for-iam-console-access',
  ],
  // No benchmark asks for hardware MFA on IAM users; IAM.19 is the nearest (MFA of any kind for every user).
  'user-hardware-mfa': ['Security Hub IAM.19 (related)', 'AWS Config iam-user-mfa-enabled (related)'],
};
