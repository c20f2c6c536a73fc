import { describe, expect, it } from 'vitest';
import { rootMfa } from '../../../src/domain/checks/root-mfa.js';
import { DEFAULT_CHECK_SETTINGS } from '../../../src/domain/types.js';
import { NOW, rootRow, snapshot } from '../factories.js';

const ctx = { settings: DEFAULT_CHECK_SETTINGS, now: NOW };

describe('root-mfa', () => {
  it('fails when the root user has credentials and no MFA', () => {
    const [v] = rootMfa.evaluate(snapshot(), ctx);
    expect(v).toMatchObject({
      check: 'root-mfa',
      principal: '<root_account>',
      status: 'fail',
      severity: 'critical',
      arn: 'arn:aws:iam::111122223333:root',
    });
    expect(v!.controls).toContain('Security Hub IAM.9');
  });

  it('passes when the account summary reports root MFA', () => {
    const [v] = rootMfa.evaluate(
      snapshot({ summary: { mfaEnabled: true, passwordPresent: true, accessKeysPresent: false } }),
      ctx,
    );
    expect(v!.status).toBe('pass');
  });

  it('is not applicable only when the root user has neither password nor access keys (centralized root access)', () => {
    const none = rootMfa.evaluate(
      snapshot({ summary: { mfaEnabled: false, passwordPresent: false, accessKeysPresent: false } }),
      ctx,
    );
    expect(none[0]!.status).toBe('not_applicable');
    const keysOnly = rootMfa.evaluate(
      snapshot({ summary: { mfaEnabled: false, passwordPresent: false, accessKeysPresent: true } }),
      ctx,
    );
    expect(keysOnly[0]!.status).toBe('fail');
  });

  it('does not read the root row\'s not_supported password flag as "no password"', () => {
    // Offline: no summary, so credentials are assumed present even though password_enabled is not_supported.
    const [v] = rootMfa.evaluate(
      snapshot({ summary: undefined, rows: [rootRow({ passwordEnabled: null, mfaActive: false })] }),
      ctx,
    );
    expect(v!.status).toBe('fail');
  });

  it('uses the credential report row when there is no account summary', () => {
    const [v] = rootMfa.evaluate(snapshot({ summary: undefined, rows: [rootRow({ mfaActive: true })] }), ctx);
    expect(v!.status).toBe('pass');
  });

  it('prefers the live account summary over a stale credential report', () => {
    const [v] = rootMfa.evaluate(
      snapshot({
        summary: { mfaEnabled: true, passwordPresent: true, accessKeysPresent: false },
        rows: [rootRow({ mfaActive: false })],
      }),
      ctx,
    );
    expect(v!.status).toBe('pass');
  });

  it('is not evaluated when nothing says whether root has MFA', () => {
    const [v] = rootMfa.evaluate(snapshot({ summary: undefined, rows: [] }), ctx);
    expect(v!.status).toBe('not_evaluated');
  });

  it('builds partition-aware root ARNs', () => {
    const [gov] = rootMfa.evaluate(snapshot({ partition: 'aws-us-gov' }), ctx);
    const [cn] = rootMfa.evaluate(snapshot({ partition: 'aws-cn' }), ctx);
    expect(gov!.arn).toBe('arn:aws-us-gov:iam::111122223333:root');
    expect(cn!.arn).toBe('arn:aws-cn:iam::111122223333:root');
  });
});
