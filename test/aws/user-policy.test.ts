import { CreatePolicyCommand, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { requireMfaPolicyArn, UserPolicyAttachment } from '../../src/aws/user-policy.js';
import { createUsers, MOTO_ACCOUNT, motoClients } from '../support/aws.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const POLICY = { accountId: MOTO_ACCOUNT, partition: 'aws' as const, policyName: 'MfaBotRequireMfa' };
const DENY_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 's3:ListAllMyBuckets', Resource: '*' }],
});

async function setUp() {
  const { iam } = motoClients(moto);
  await createUsers(iam, [{ name: 'ann', password: true }]);
  await iam.send(new CreatePolicyCommand({ PolicyName: 'MfaBotRequireMfa', PolicyDocument: DENY_ALL }));
  await iam.send(new CreatePolicyCommand({ PolicyName: 'Other', PolicyDocument: DENY_ALL }));
  return { iam, attachment: new UserPolicyAttachment(iam, POLICY) };
}

async function attachedArns(iam: ReturnType<typeof motoClients>['iam'], userName: string): Promise<string[]> {
  const out = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
}

describe('UserPolicyAttachment', () => {
  it('names the policy by partition, account and enforcement.policyName', () => {
    expect(requireMfaPolicyArn({ accountId: '111122223333', partition: 'aws-us-gov', policyName: 'P' })).toBe(
      'arn:aws-us-gov:iam::111122223333:policy/P',
    );
  });

  it('attaches exactly the require-MFA policy, sees it, and detaches it again', async () => {
    const { iam, attachment } = await setUp();
    expect(await attachment.isAttached('ann')).toBe(false);
    await attachment.attach('ann');
    expect(await attachedArns(iam, 'ann')).toEqual([`arn:aws:iam::${MOTO_ACCOUNT}:policy/MfaBotRequireMfa`]);
    expect(await attachment.isAttached('ann')).toBe(true);
    // A second attach (a retry after a crash) leaves one attachment.
    await attachment.attach('ann');
    expect(await attachedArns(iam, 'ann')).toHaveLength(1);
    expect(await attachment.detach('ann')).toBe(true);
    expect(await attachedArns(iam, 'ann')).toEqual([]);
    expect(await attachment.isAttached('ann')).toBe(false);
  });

  it('detaching a policy that is not attached is the wanted end state, not an error', async () => {
    const { attachment } = await setUp();
    expect(await attachment.detach('ann')).toBe(false);
  });

  it('fails loudly when the policy was never created in the account', async () => {
    const { iam } = await setUp();
    const missing = new UserPolicyAttachment(iam, { ...POLICY, policyName: 'NotDeployed' });
    await expect(missing.attach('ann')).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });
});
