import { describe, expect, it } from 'vitest';
import { evaluateAccount, erroredAccount } from '../../src/domain/evaluate.js';
import { DEFAULT_CHECK_SETTINGS, type Exemption } from '../../src/domain/types.js';
import { ACCOUNT, NOW, rootRow, snapshot, userRow } from './factories.js';

const ctx = { settings: DEFAULT_CHECK_SETTINGS, now: NOW };
const snap = () => snapshot({ rows: [rootRow(), userRow('breakglass'), userRow('bob')] });

describe('exemptions', () => {
  it('exempts a matching failing user until the exemption expires', () => {
    const ex: Exemption = {
      account: ACCOUNT,
      principal: 'breakglass',
      reason: 'sealed envelope in the safe',
      expires: new Date('2027-07-01T00:00:00Z'),
    };
    const result = evaluateAccount(snap(), ctx, [ex]);
    const bg = result.verdicts.find((v) => v.principal === 'breakglass')!;
    expect(bg.status).toBe('exempt');
    expect(bg.exemption).toEqual({ reason: 'sealed envelope in the safe', expires: ex.expires });
    expect(bg.reason).toContain('sealed envelope');
    expect(result.verdicts.find((v) => v.principal === 'bob')!.status).toBe('fail');
  });

  it('turns back into a fail that names the lapsed exemption', () => {
    const ex: Exemption = {
      account: ACCOUNT,
      principal: 'breakglass',
      reason: 'sealed envelope',
      expires: new Date('2026-11-01T00:00:00Z'),
    };
    const bg = evaluateAccount(snap(), ctx, [ex]).verdicts.find((v) => v.principal === 'breakglass')!;
    expect(bg.status).toBe('fail');
    // It ended at midnight: 2026-10-31 was its last day.
    expect(bg.reason).toMatch(/expired on 2026-10-31/);
  });

  it('does not apply to another account, or to checks it is not limited to', () => {
    const other: Exemption = {
      account: '999999999999',
      principal: 'breakglass',
      reason: 'x y z',
      expires: new Date('2030-01-01'),
    };
    const onlyHw: Exemption = {
      account: ACCOUNT,
      principal: 'breakglass',
      reason: 'x y z',
      expires: new Date('2030-01-01'),
      checks: ['user-hardware-mfa'],
    };
    const bg = evaluateAccount(snap(), ctx, [other, onlyHw]).verdicts.find((v) => v.principal === 'breakglass')!;
    expect(bg.status).toBe('fail');
  });

  it('can exempt the root user', () => {
    const ex: Exemption = {
      account: ACCOUNT,
      principal: '<root_account>',
      reason: 'account being closed',
      expires: new Date('2030-01-01'),
    };
    const root = evaluateAccount(snap(), ctx, [ex]).verdicts.filter((v) => v.principal === '<root_account>');
    expect(root.map((v) => v.status)).toEqual(['exempt', 'exempt']);
  });

  it('leaves passing verdicts alone', () => {
    const ex: Exemption = { account: ACCOUNT, principal: 'alice', reason: 'x y z', expires: new Date('2030-01-01') };
    const result = evaluateAccount(snapshot({ rows: [rootRow(), userRow('alice', { mfaActive: true })] }), ctx, [ex]);
    expect(result.verdicts.find((v) => v.principal === 'alice')!.status).toBe('pass');
  });
});

describe('erroredAccount', () => {
  it('yields one error verdict per enabled check with the code and hint', () => {
    const r = erroredAccount(
      ACCOUNT,
      'aws',
      { code: 'AccessDenied', message: 'not allowed', hint: 'attach the policy' },
      ctx,
    );
    expect(r.verdicts.map((v) => v.check)).toEqual(['root-mfa', 'root-hardware-mfa', 'user-console-mfa']);
    expect(
      r.verdicts.every(
        (v) => v.status === 'error' && v.reason.includes('AccessDenied') && v.reason.includes('attach the policy'),
      ),
    ).toBe(true);
    expect(r.rootMfa).toBe('unknown');
  });
});
