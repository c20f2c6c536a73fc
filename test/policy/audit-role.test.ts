import { readFileSync } from 'node:fs';
import { GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createStack, managedPolicyDocument, MOTO_ACCOUNT, motoClients } from '../support/aws.js';
import { decide } from '../support/iam-simulate.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { Statement: Array<{ Action: string[] }> };

const deploy = (parameters: Record<string, string>) =>
  createStack(moto, 'mfa-bot-audit', readFileSync('policy/audit-role.cfn.yml', 'utf8'), {
    BotRoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/mfa-bot`,
    ...parameters,
  });

const requireMfaPolicy = (name: string) =>
  managedPolicyDocument(motoClients(moto).iam, `arn:aws:iam::${MOTO_ACCOUNT}:policy/${name}`);

describe('policy/audit-role.cfn.yml on CloudFormation', () => {
  it('EnableEnforcement creates policy/require-mfa.json as MfaBotRequireMfa and the rights to attach it', async () => {
    expect(await deploy({ EnableEnforcement: 'true' })).toBe('CREATE_COMPLETE');
    expect(await requireMfaPolicy('MfaBotRequireMfa')).toEqual(readJson('policy/require-mfa.json'));

    const { iam } = motoClients(moto);
    const { PolicyNames } = await iam.send(new ListRolePoliciesCommand({ RoleName: 'MfaBotAudit' }));
    expect(PolicyNames?.sort()).toEqual(['mfa-bot-enforce', 'mfa-bot-readonly']);
    const { PolicyDocument } = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'MfaBotAudit', PolicyName: 'mfa-bot-enforce' }),
    );
    const document = JSON.parse(decodeURIComponent(PolicyDocument!)) as {
      Statement: Array<{ Sid: string; Action: string[]; Resource: string; Condition?: unknown }>;
    };
    // Besides the enforce policy's rights, doctor may read that one policy (to say whether it exists here).
    const requireMfaArn = `arn:aws:iam::${MOTO_ACCOUNT}:policy/MfaBotRequireMfa`;
    const doctorRead = document.Statement.filter((s) => s.Sid === 'MfaBotDoctorReadsTheRequireMfaPolicy');
    expect(doctorRead).toEqual([expect.objectContaining({ Action: ['iam:GetPolicy'], Resource: requireMfaArn })]);
    const enforce = { Statement: document.Statement.filter((s) => !doctorRead.includes(s)) };
    expect(enforce.Statement.flatMap((s) => s.Action).sort()).toEqual(
      readJson('policy/mfa-bot-enforce.json')
        .Statement.flatMap((s) => s.Action)
        .sort(),
    );
    // In a member account, the rights name that account's own policy, not any policy of that name.
    expect(enforce.Statement[0]!.Condition).toEqual({ ArnEquals: { 'iam:PolicyARN': requireMfaArn } });
    for (const s of enforce.Statement) expect(s.Resource).toBe(`arn:aws:iam::${MOTO_ACCOUNT}:user/*`);

    // What AWS would decide for the calls the bot makes through this role (a real IAM policy evaluator): its own
    // users, with this account's require-MFA policy, and nothing wider.
    const role = `arn:aws:iam::${MOTO_ACCOUNT}:role/MfaBotAudit`;
    const policies = [{ name: 'mfa-bot-enforce', policy: document }];
    const user = (name: string, account = MOTO_ACCOUNT) => `arn:aws:iam::${account}:user/${name}`;
    const call = (action: string, resource: string, policyArn?: string) =>
      decide(policies, {
        principal: role,
        action,
        resource,
        ...(policyArn ? { context: { 'iam:PolicyARN': policyArn } } : {}),
      });
    for (const action of ['iam:AttachUserPolicy', 'iam:DetachUserPolicy']) {
      expect(await call(action, user('ann'), requireMfaArn), action).toBe('Allowed');
      expect(await call(action, user('team/ann'), requireMfaArn), action).toBe('Allowed');
      for (const other of [
        'arn:aws:iam::aws:policy/AdministratorAccess',
        'arn:aws:iam::444455556666:policy/MfaBotRequireMfa',
        `arn:aws:iam::${MOTO_ACCOUNT}:policy/MfaBotRequireMfaX`,
      ])
        expect(await call(action, user('ann'), other), `${action} ${other}`).toBe('ImplicitlyDenied');
      expect(await call(action, user('ann', '444455556666'), requireMfaArn), action).toBe('ImplicitlyDenied');
    }
    expect(await call('iam:ListAttachedUserPolicies', user('ann'))).toBe('Allowed');
    expect(await call('iam:GetPolicy', requireMfaArn)).toBe('Allowed');
    expect(await call('iam:AttachRolePolicy', `arn:aws:iam::${MOTO_ACCOUNT}:role/x`, requireMfaArn)).toBe(
      'ImplicitlyDenied',
    );
  });

  it('RequireMfaPolicyName renames the policy (enforcement.policyName) and the rights follow', async () => {
    expect(await deploy({ EnableEnforcement: 'true', RequireMfaPolicyName: 'LimitedUntilMfa' })).toBe(
      'CREATE_COMPLETE',
    );
    expect(await requireMfaPolicy('LimitedUntilMfa')).toEqual(readJson('policy/require-mfa.json'));
    const { PolicyDocument } = await motoClients(moto).iam.send(
      new GetRolePolicyCommand({ RoleName: 'MfaBotAudit', PolicyName: 'mfa-bot-enforce' }),
    );
    expect(decodeURIComponent(PolicyDocument!)).toContain(`:policy/LimitedUntilMfa"`);
  });

  it('without EnableEnforcement: the read-only role alone, no policy', async () => {
    expect(await deploy({})).toBe('CREATE_COMPLETE');
    const { iam } = motoClients(moto);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'MfaBotAudit' }))).PolicyNames).toEqual([
      'mfa-bot-readonly',
    ]);
    await expect(requireMfaPolicy('MfaBotRequireMfa')).rejects.toThrow(/not found|NoSuchEntity/i);
  });
});
