import { describe, expect, it } from 'vitest';
import { decide, shippedPolicy } from '../support/iam-simulate.js';

const enforce = [shippedPolicy('policy/mfa-bot-enforce.json')];
const bot = 'arn:aws:iam::111122223333:role/mfa-bot';
const bob = 'arn:aws:iam::111122223333:user/bob';

describe('policy/mfa-bot-enforce.json', () => {
  it.each(['iam:AttachUserPolicy', 'iam:DetachUserPolicy'])(
    '%s: the require-MFA policy and no other',
    async (action) => {
      const attach = (policyArn: string, user = bob) =>
        decide(enforce, { principal: bot, action, resource: user, context: { 'iam:PolicyARN': policyArn } });
      expect(await attach('arn:aws:iam::111122223333:policy/MfaBotRequireMfa')).toBe('Allowed');
      // Member accounts and the other partitions: the same policy name in any account.
      expect(await attach('arn:aws:iam::444455556666:policy/MfaBotRequireMfa', bob.replace('1111', '4444'))).toBe(
        'Allowed',
      );
      expect(
        await attach(
          'arn:aws-us-gov:iam::111122223333:policy/MfaBotRequireMfa',
          'arn:aws-us-gov:iam::111122223333:user/b',
        ),
      ).toBe('Allowed');
      for (const other of [
        'arn:aws:iam::aws:policy/AdministratorAccess',
        'arn:aws:iam::111122223333:policy/MfaBotRequireMfaX',
        'arn:aws:iam::111122223333:policy/team/MfaBotRequireMfa',
        'arn:aws:iam::111122223333:policy/Admin',
      ]) {
        expect(await attach(other), other).toBe('ImplicitlyDenied');
      }
      // No policy named in the request: nothing.
      expect(await decide(enforce, { principal: bot, action, resource: bob })).toBe('ImplicitlyDenied');
    },
  );

  it('reads the policies attached to any user, and writes nothing else', async () => {
    expect(await decide(enforce, { principal: bot, action: 'iam:ListAttachedUserPolicies', resource: bob })).toBe(
      'Allowed',
    );
    const requireMfa = 'arn:aws:iam::111122223333:policy/MfaBotRequireMfa';
    const context = { 'iam:PolicyARN': requireMfa };
    for (const [action, resource] of [
      ['iam:PutUserPolicy', bob],
      ['iam:CreateUser', bob],
      ['iam:AttachRolePolicy', 'arn:aws:iam::111122223333:role/admin'],
      ['iam:CreatePolicyVersion', requireMfa],
    ] as const) {
      expect(await decide(enforce, { principal: bot, action, resource, context }), action).toBe('ImplicitlyDenied');
    }
  });
});
