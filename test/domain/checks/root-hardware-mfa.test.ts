import { describe, expect, it } from 'vitest';
import { rootHardwareMfa } from '../../../src/domain/checks/root-hardware-mfa.js';
import { rootState } from '../../../src/domain/root.js';
import { DEFAULT_CHECK_SETTINGS } from '../../../src/domain/types.js';
import { ACCOUNT, NOW, snapshot } from '../factories.js';

const ctx = { settings: DEFAULT_CHECK_SETTINGS, now: NOW };
const withMfa = { mfaEnabled: true, passwordPresent: true, accessKeysPresent: false };

describe('root-hardware-mfa', () => {
  it('passes when root has MFA and no virtual device is assigned to the root ARN', () => {
    const snap = snapshot({
      summary: withMfa,
      virtualMfaDevices: [
        { serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice`, userArn: `arn:aws:iam::${ACCOUNT}:user/alice` },
      ],
    });
    expect(rootHardwareMfa.evaluate(snap, ctx)[0]!.status).toBe('pass');
    expect(rootState(snap).kind).toBe('hardware');
  });

  it('fails on a virtual device assigned to root, whatever its serial is called', () => {
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/my-custom-name`;
    const snap = snapshot({
      summary: withMfa,
      virtualMfaDevices: [{ serialNumber: serial, userArn: `arn:aws:iam::${ACCOUNT}:root` }],
    });
    const [v] = rootHardwareMfa.evaluate(snap, ctx);
    expect(v!.status).toBe('fail');
    expect(v!.reason).toContain(serial);
    expect(rootState(snap).kind).toBe('virtual');
  });

  it('does not mistake an IAM user called rootadmin, or a serial named root, for the root user', () => {
    const snap = snapshot({
      summary: withMfa,
      virtualMfaDevices: [
        {
          serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`,
          userArn: `arn:aws:iam::${ACCOUNT}:user/rootadmin`,
        },
        { serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root`, userArn: `arn:aws:iam::${ACCOUNT}:user/root` },
      ],
    });
    expect(rootHardwareMfa.evaluate(snap, ctx)[0]!.status).toBe('pass');
  });

  it('ignores a root device of another partition or account', () => {
    const snap = snapshot({
      summary: withMfa,
      virtualMfaDevices: [
        { serialNumber: 'arn:aws-us-gov:iam::111122223333:mfa/x', userArn: 'arn:aws-us-gov:iam::111122223333:root' },
        { serialNumber: 'arn:aws:iam::999999999999:mfa/x', userArn: 'arn:aws:iam::999999999999:root' },
      ],
    });
    expect(rootHardwareMfa.evaluate(snap, ctx)[0]!.status).toBe('pass');
  });

  it('matches the GovCloud root ARN in a GovCloud account', () => {
    const snap = snapshot({
      partition: 'aws-us-gov',
      summary: withMfa,
      virtualMfaDevices: [
        { serialNumber: 'arn:aws-us-gov:iam::111122223333:mfa/x', userArn: 'arn:aws-us-gov:iam::111122223333:root' },
      ],
    });
    expect(rootHardwareMfa.evaluate(snap, ctx)[0]!.status).toBe('fail');
  });

  it('fails when root has no MFA at all, and is not applicable without root credentials', () => {
    expect(rootHardwareMfa.evaluate(snapshot(), ctx)[0]!.status).toBe('fail');
    expect(rootState(snapshot()).kind).toBe('none');
    const central = snapshot({ summary: { mfaEnabled: false, passwordPresent: false, accessKeysPresent: false } });
    expect(rootHardwareMfa.evaluate(central, ctx)[0]!.status).toBe('not_applicable');
  });

  it('is not evaluated when the device list was not collected (offline report)', () => {
    const snap = snapshot({ summary: undefined, virtualMfaDevices: undefined });
    snap.credentialReport.rows[0]!.mfaActive = true;
    expect(rootHardwareMfa.evaluate(snap, ctx)[0]!.status).toBe('not_evaluated');
    expect(rootState(snap).kind).toBe('unknown');
  });

  it('can be switched off', () => {
    expect(rootHardwareMfa.enabled({ ...DEFAULT_CHECK_SETTINGS, rootHardwareMfa: false })).toBe(false);
    expect(rootHardwareMfa.enabled(DEFAULT_CHECK_SETTINGS)).toBe(true);
  });
});
