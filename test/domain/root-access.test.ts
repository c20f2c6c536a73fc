import { describe, expect, it } from 'vitest';
import { rootAccessSummary, rootCredentialsDeletable, withRootAccess } from '../../src/domain/root-access.js';
import type { AccountResult, OrgRootAccess, Verdict } from '../../src/domain/types.js';

const MANAGEMENT = '111122223333';
const MEMBER = '444455556666';
const on: OrgRootAccess = { managementAccountId: MANAGEMENT, credentialsManagement: true, rootSessions: false };

function account(accountId: string, over: Partial<AccountResult> = {}): AccountResult {
  const verdict = (check: Verdict['check'], status: Verdict['status']): Verdict => ({
    check,
    accountId,
    principal: '<root_account>',
    arn: `arn:aws:iam::${accountId}:root`,
    status,
    severity: 'critical',
    reason: 'r',
    controls: [],
    remediation: 'add MFA',
  });
  return {
    accountId,
    partition: 'aws',
    rootMfa: 'none',
    rootCredentialsPresent: true,
    verdicts: [verdict('root-mfa', 'fail'), verdict('root-hardware-mfa', 'pass')],
    ...over,
  };
}

describe('withRootAccess', () => {
  it("turns a member root's failing finding into 'delete the credentials', and nothing else", () => {
    const scan = withRootAccess({ generatedAt: new Date(), accounts: [account(MEMBER), account(MANAGEMENT)] }, on);
    const [member, management] = scan.accounts;
    expect(member!.verdicts[0]!.remediation).toMatch(/account 444455556666 .*Delete root user credentials/);
    expect(member!.verdicts[1]!.remediation).toBe('add MFA');
    expect(management!.verdicts[0]!.remediation).toBe('add MFA');
    expect(scan.rootAccess).toBe(on);
  });

  it('leaves the advice alone without credentials management, or when the root has no credentials', () => {
    for (const [access, a] of [
      [{ ...on, credentialsManagement: false }, account(MEMBER)],
      [on, account(MEMBER, { rootCredentialsPresent: false })],
      [on, account(MEMBER, { error: { code: 'AccessDenied', message: 'no' } })],
    ] as const) {
      expect(rootCredentialsDeletable(access, a)).toBe(false);
      const scan = withRootAccess({ generatedAt: new Date(), accounts: [a] }, access);
      expect(scan.accounts[0]!.verdicts[0]!.remediation).toBe('add MFA');
    }
  });
});

describe('rootAccessSummary', () => {
  it('names each feature, or why they could not be read', () => {
    expect(rootAccessSummary({ ...on, rootSessions: true })).toBe(
      'Centralized root access: root credentials management on, root sessions on',
    );
    expect(
      rootAccessSummary({
        credentialsManagement: false,
        rootSessions: false,
        error: { code: 'OrganizationNotFound', message: 'no organization' },
      }),
    ).toBe('Centralized root access: unknown (OrganizationNotFound: no organization)');
  });
});
