import { describe, expect, it } from 'vitest';
import { rootStateText } from '../../../src/slack/blocks/format.js';

describe('rootStateText', () => {
  it('names the devices a root session listed (organization.auditRootMfa), else the inferred kind', () => {
    const audited = { rootMfa: 'hardware' as const, rootMfaAudit: { devices: ['fido' as const] } };
    expect(rootStateText(audited)).toBe('FIDO security key or passkey (listed in a root session)');
    expect(rootStateText({ rootMfa: 'hardware', rootMfaAudit: { error: 'AccessDenied: no' } })).toBe(
      'hardware (security key or token)',
    );
    expect(rootStateText({ rootMfa: 'none', rootMfaAudit: { devices: [] } })).toBe(':x: none');
    expect(rootStateText({ ...audited, rootCredentialsPresent: false })).toMatch(/^not applicable/);
  });
});
