import { describe, expect, it } from 'vitest';
import { userHardwareMfa } from '../../../src/domain/checks/user-hardware-mfa.js';
import { classifyMfaSerial } from '../../../src/domain/mfa-device.js';
import { DEFAULT_CHECK_SETTINGS } from '../../../src/domain/types.js';
import { ACCOUNT, NOW, rootRow, snapshot, userRow } from '../factories.js';

const settings = { ...DEFAULT_CHECK_SETTINGS, userHardwareMfa: true };
const virtual = (u: string) => `arn:aws:iam::${ACCOUNT}:mfa/${u}`;
const fido = (u: string) => `arn:aws:iam::${ACCOUNT}:u2f/user/${u}/key-ABCDEF`;

describe('classifyMfaSerial', () => {
  it('reads the kind from the serial', () => {
    expect(classifyMfaSerial('arn:aws:iam::111122223333:mfa/alice')).toBe('virtual');
    expect(classifyMfaSerial('arn:aws-us-gov:iam::111122223333:mfa/path/alice')).toBe('virtual');
    expect(classifyMfaSerial('arn:aws-cn:iam::111122223333:u2f/user/alice/default-ABC')).toBe('fido');
    expect(classifyMfaSerial('GAHT12345678')).toBe('hardware_totp');
    expect(classifyMfaSerial('sms-mfa')).toBe('sms');
    expect(classifyMfaSerial('arn:aws:iam::111122223333:sms-mfa/alice')).toBe('sms');
    expect(classifyMfaSerial('arn:aws:iam::111122223333:something/x')).toBe('unknown');
  });
});

describe('user-hardware-mfa', () => {
  const rows = [
    rootRow(),
    userRow('v', { mfaActive: true }),
    userRow('mixed', { mfaActive: true }),
    userRow('token', { mfaActive: true }),
    userRow('sms', { mfaActive: true }),
    userRow('nomfa'),
    userRow('nopw', { passwordEnabled: false }),
  ];
  const devices = {
    v: [virtual('v')],
    mixed: [virtual('mixed'), fido('mixed')],
    token: ['GAHT12345678'],
    sms: ['sms-mfa'],
  };

  it('is off by default', () => {
    expect(userHardwareMfa.enabled(DEFAULT_CHECK_SETTINGS)).toBe(false);
    expect(userHardwareMfa.enabled(settings)).toBe(true);
  });

  it('fails console users whose devices are all virtual or SMS, passes those with a key or token', () => {
    const out = Object.fromEntries(
      userHardwareMfa
        .evaluate(snapshot({ rows, userMfaDevices: devices }), { settings, now: NOW })
        .map((v) => [v.principal, v]),
    );
    expect(out.v!.status).toBe('fail');
    expect(out.v!.reason).toContain('virtual authenticator app');
    expect(out.mixed!.status).toBe('pass');
    expect(out.token!.status).toBe('pass');
    expect(out.sms!.status).toBe('fail');
    expect(out.sms!.reason).toContain('SMS');
    expect(out.nomfa).toBeUndefined();
    expect(out.nopw).toBeUndefined();
  });

  it('is not evaluated for users whose devices were not listed', () => {
    const [v] = userHardwareMfa.evaluate(snapshot({ rows: [userRow('v', { mfaActive: true })], userMfaDevices: {} }), {
      settings,
      now: NOW,
    });
    expect(v!.status).toBe('not_evaluated');
  });
});
