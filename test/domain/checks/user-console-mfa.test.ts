import { describe, expect, it } from 'vitest';
import { userConsoleMfa } from '../../../src/domain/checks/user-console-mfa.js';
import { DEFAULT_CHECK_SETTINGS } from '../../../src/domain/types.js';
import { NOW, rootRow, snapshot, userRow } from '../factories.js';

const ctx = { settings: DEFAULT_CHECK_SETTINGS, now: NOW };

function statusOf(rows: ReturnType<typeof userRow>[], settings = DEFAULT_CHECK_SETTINGS) {
  return Object.fromEntries(
    userConsoleMfa
      .evaluate(snapshot({ rows: [rootRow(), ...rows] }), { settings, now: NOW })
      .map((v) => [v.principal, v]),
  );
}

describe('user-console-mfa', () => {
  it('fails a console user without MFA, passes one with MFA, and skips users without a password', () => {
    const v = statusOf([
      userRow('bob'),
      userRow('alice', { mfaActive: true }),
      userRow('ci-bot', { passwordEnabled: false, passwordLastChanged: null }),
    ]);
    expect(v.bob!.status).toBe('fail');
    expect(v.alice!.status).toBe('pass');
    expect(v['ci-bot']!.status).toBe('not_applicable');
    expect(v['<root_account>']).toBeUndefined();
  });

  it('carries the last use of an active access key, for enforcement; an inactive key does not count', () => {
    const recent = new Date('2026-11-20T09:00:00Z');
    const v = statusOf([
      userRow('kim', { accessKey1Active: true, accessKey1LastUsed: recent }),
      userRow('old', { accessKey1Active: false, accessKey1LastUsed: recent }),
      userRow('two', {
        accessKey1Active: true,
        accessKey1LastUsed: new Date('2026-01-01T00:00:00Z'),
        accessKey2Active: true,
        accessKey2LastUsed: recent,
      }),
    ]);
    expect(v.kim!.keysLastUsed).toEqual(recent);
    expect(v.old!.keysLastUsed).toBeUndefined();
    expect(v.two!.keysLastUsed).toEqual(recent);
  });

  it('gives a new password a grace period with its deadline, counted from the password change', () => {
    const v = statusOf([
      userRow('new', {
        userCreationTime: new Date('2020-01-01T00:00:00Z'),
        passwordLastChanged: new Date('2026-11-20T12:00:00Z'),
      }),
    ]);
    expect(v.new!.status).toBe('grace');
    expect(v.new!.deadline).toEqual(new Date('2026-11-27T12:00:00Z'));
    expect(v.new!.reason).toContain('2026-11-27');
  });

  it('falls back to the creation time when the password change time is absent', () => {
    const v = statusOf([
      userRow('fresh', { userCreationTime: new Date('2026-11-22T00:00:00Z'), passwordLastChanged: null }),
    ]);
    expect(v.fresh!.status).toBe('grace');
  });

  it('fails once the grace period is over, and never grants grace when it is 0', () => {
    const old = statusOf([userRow('late', { passwordLastChanged: new Date('2026-11-16T11:59:59Z') })]);
    expect(old.late!.status).toBe('fail');
    const none = statusOf([userRow('fresh', { passwordLastChanged: new Date('2026-11-23T11:00:00Z') })], {
      ...DEFAULT_CHECK_SETTINGS,
      gracePeriodDays: 0,
    });
    expect(none.fresh!.status).toBe('fail');
  });

  it('keeps IAM names with + = , . @ _ - and paths intact', () => {
    const name = 'carol+ops=x,y.z@example_co-1';
    const v = statusOf([userRow(name)]);
    expect(v[name]!.arn).toBe(`arn:aws:iam::111122223333:user/${name}`);
  });

  it('treats an absent password flag (N/A) as no console password', () => {
    const v = statusOf([userRow('odd', { passwordEnabled: null })]);
    expect(v.odd!.status).toBe('not_applicable');
  });

  it('carries controls and remediation on every verdict', () => {
    const v = statusOf([userRow('bob')]);
    expect(v.bob!.controls).toContain('Security Hub IAM.5');
    expect(v.bob!.controls).toContain('AWS Config mfa-enabled-for-iam-console-access');
    expect(v.bob!.remediation).toMatch(/Assign MFA device/);
    expect(ctx.settings.gracePeriodDays).toBe(7);
  });
});
