import { describe, expect, it } from 'vitest';
import { decide, shippedPolicy } from '../support/iam-simulate.js';

const root = [shippedPolicy('policy/mfa-bot-root.json')];
const bot = 'arn:aws:iam::111122223333:role/mfa-bot';
const task = (name: string, partition = 'aws') => `arn:${partition}:iam::aws:policy/root-task/${name}`;
const assumeRoot = (taskPolicyArn?: string) =>
  decide(root, {
    principal: bot,
    action: 'sts:AssumeRoot',
    resource: 'arn:aws:iam::444455556666:root',
    accountId: '111122223333',
    context: taskPolicyArn ? { 'sts:TaskPolicyArn': taskPolicyArn } : {},
  });

describe('policy/mfa-bot-root.json', () => {
  it('allows AssumeRoot with the delete and audit root-task policies only', async () => {
    expect(await assumeRoot(task('IAMDeleteRootUserCredentials'))).toBe('Allowed');
    expect(await assumeRoot(task('IAMAuditRootUserCredentials'))).toBe('Allowed');
    expect(await assumeRoot(task('IAMDeleteRootUserCredentials', 'aws-us-gov'))).toBe('Allowed');
    for (const other of ['IAMCreateRootUserPassword', 'S3UnlockBucketPolicy', 'SQSUnlockQueuePolicy'])
      expect(await assumeRoot(task(other)), other).toBe('ImplicitlyDenied');
    expect(await assumeRoot()).toBe('ImplicitlyDenied');
  });

  it('reads the organization features and the management account, and nothing else', async () => {
    for (const action of ['iam:ListOrganizationsFeatures', 'organizations:DescribeOrganization'])
      expect(await decide(root, { principal: bot, action, resource: '*' }), action).toBe('Allowed');
    for (const action of ['iam:EnableOrganizationsRootSessions', 'iam:DisableOrganizationsRootCredentialsManagement'])
      expect(await decide(root, { principal: bot, action, resource: '*' }), action).toBe('ImplicitlyDenied');
  });
});
