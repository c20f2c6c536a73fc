import { describe, expect, it } from 'vitest';
import { type Decision, decide, shippedPolicy, type SimulatedRequest } from '../support/iam-simulate.js';

const requireMfa = shippedPolicy('policy/require-mfa.json');
const administratorAccess = {
  name: 'AdministratorAccess',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};
const account = '111122223333';
const user = (name: string) => `arn:aws:iam::${account}:user/${name}`;
const device = (name: string) => `arn:aws:iam::${account}:mfa/${name}`;

/** A console session of bob: AWS sets aws:MultiFactorAuthPresent, and aws:username for an IAM user. */
const signedIn = (mfa: boolean) => ({ 'aws:username': 'bob', 'aws:MultiFactorAuthPresent': String(mfa) });
/** A request signed with bob's long-term access key: AWS sets no MFA key at all. */
const accessKey = { 'aws:username': 'bob' };

const call = (action: string, resource: string): Omit<SimulatedRequest, 'context'> => ({
  principal: user('bob'),
  action,
  resource,
});

/** What bob may still do without MFA: set it up on his own user, and get past a first-sign-in password change. */
const ENROLLMENT = [
  // A virtual device, with a name of his choosing (custom device names, not mfa/<user name>).
  call('iam:CreateVirtualMFADevice', device('bob-phone')),
  call('iam:CreateVirtualMFADevice', device('Work/pixel-8')),
  call('iam:ListVirtualMFADevices', '*'),
  // Virtual, security key or passkey, hardware token: all enabled on his own user.
  call('iam:EnableMFADevice', user('bob')),
  call('iam:GetMFADevice', user('bob')),
  call('iam:ResyncMFADevice', user('bob')),
  call('iam:ListMFADevices', user('bob')),
  call('iam:GetUser', user('bob')),
  call('iam:ChangePassword', user('bob')),
  call('iam:GetAccountPasswordPolicy', '*'),
  // An MFA session for the CLI, once a device is on.
  call('sts:GetSessionToken', '*'),
];

const LIMITED = [
  call('s3:ListAllMyBuckets', '*'),
  call('ec2:DescribeInstances', '*'),
  call('iam:CreateAccessKey', user('bob')),
  call('iam:AttachUserPolicy', user('bob')),
  call('iam:DetachUserPolicy', user('bob')),
  // Someone else's devices.
  call('iam:EnableMFADevice', user('alice')),
  call('iam:DeactivateMFADevice', user('alice')),
  call('iam:ResyncMFADevice', user('alice')),
  call('iam:ListMFADevices', user('alice')),
  call('iam:GetMFADevice', user('alice')),
  call('iam:ChangePassword', user('alice')),
  call('iam:DeleteVirtualMFADevice', device('alice-phone')),
  // Removing a device, even his own, needs MFA (else a stolen password could swap the device).
  call('iam:DeactivateMFADevice', user('bob')),
  call('iam:DeleteVirtualMFADevice', device('bob-phone')),
];

async function decisions(requests: Array<Omit<SimulatedRequest, 'context'>>, context: Record<string, string>) {
  const out: Record<string, Decision> = {};
  for (const r of requests) {
    out[`${r.action} ${r.resource}`] = await decide([administratorAccess, requireMfa], { ...r, context });
  }
  return out;
}

const every = (requests: Array<Omit<SimulatedRequest, 'context'>>, d: Decision) =>
  Object.fromEntries(requests.map((r) => [`${r.action} ${r.resource}`, d]));

describe('policy/require-mfa.json, on top of AdministratorAccess', () => {
  it('without MFA: only enrolling on his own user, the password change and an MFA session are left', async () => {
    expect(await decisions(ENROLLMENT, signedIn(false))).toEqual(every(ENROLLMENT, 'Allowed'));
    expect(await decisions(LIMITED, signedIn(false))).toEqual(every(LIMITED, 'ExplicitlyDenied'));
  });

  it('with MFA: denies nothing', async () => {
    const all = [...ENROLLMENT, ...LIMITED];
    expect(await decisions(all, signedIn(true))).toEqual(every(all, 'Allowed'));
  });

  it('long-term access keys carry no MFA key: denied like a console session without MFA', async () => {
    expect(await decisions(LIMITED, accessKey)).toEqual(every(LIMITED, 'ExplicitlyDenied'));
    expect(await decisions([call('sts:GetSessionToken', '*')], accessKey)).toEqual({
      'sts:GetSessionToken *': 'Allowed',
    });
  });

  it('a user with an IAM path enrolls on his own user, and still not on a namesake path of another', async () => {
    const pathed = { ...call('iam:EnableMFADevice', `arn:aws:iam::${account}:user/engineering/bob`) };
    expect(await decide([administratorAccess, requireMfa], { ...pathed, context: signedIn(false) })).toBe('Allowed');
    const other = { ...call('iam:EnableMFADevice', `arn:aws:iam::${account}:user/engineering/bobby`) };
    expect(await decide([administratorAccess, requireMfa], { ...other, context: signedIn(false) })).toBe(
      'ExplicitlyDenied',
    );
  });
});

describe('policy/require-mfa.json alone', () => {
  it('grants nothing: it only denies', async () => {
    for (const r of [...ENROLLMENT, ...LIMITED]) {
      for (const context of [signedIn(false), signedIn(true), accessKey]) {
        expect(await decide([requireMfa], { ...r, context }), `${r.action} ${r.resource}`).not.toBe('Allowed');
      }
    }
  });
});
