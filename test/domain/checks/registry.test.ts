import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../../../src/config/schema.js';
import { ALL_CHECKS, CHECK_IDS, findCheck } from '../../../src/domain/checks/registry.js';
import { USER_CHECK_IDS } from '../../../src/domain/evaluate-user.js';
import { ROOT_PRINCIPAL } from '../../../src/domain/types.js';
import { NOW, rootRow, snapshot, userRow } from '../factories.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low'];

describe('the check registry', () => {
  it.each(ALL_CHECKS.map((check) => [check.id, check] as const))('%s carries complete metadata', (_, check) => {
    expect(check.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(check.title.trim()).not.toBe('');
    expect(check.label.trim()).not.toBe('');
    expect(['root', 'user']).toContain(check.scope);
    expect(SEVERITIES).toContain(check.severity);
    expect(check.controls.length).toBeGreaterThan(0);
    for (const control of check.controls) expect(control.trim()).not.toBe('');
    expect(check.remediation.trim()).not.toBe('');
    expect(typeof check.enabled).toBe('function');
    expect(typeof check.evaluate).toBe('function');
  });

  it('registers every check once, under its own id', () => {
    expect(new Set(CHECK_IDS).size).toBe(ALL_CHECKS.length);
    expect(CHECK_IDS).toEqual(ALL_CHECKS.map((c) => c.id));
    for (const check of ALL_CHECKS) expect(findCheck(check.id)).toBe(check);
    expect(findCheck('no-such-check')).toBeUndefined();
  });

  it('judges whom its scope says: root checks only the root user, user checks only IAM users', () => {
    const settings = { gracePeriodDays: 0, rootHardwareMfa: true, userHardwareMfa: true };
    const account = snapshot({
      rows: [rootRow(), userRow('ann', { mfaActive: true }), userRow('bob')],
      userMfaDevices: { ann: ['arn:aws:iam::111122223333:mfa/ann'] },
    });
    for (const check of ALL_CHECKS) {
      const principals = check.evaluate(account, { settings, now: NOW }).map((v) => v.principal);
      expect(principals.length, check.id).toBeGreaterThan(0);
      if (check.scope === 'root') expect(principals, check.id).toEqual(principals.map(() => ROOT_PRINCIPAL));
      else expect(principals, check.id).not.toContain(ROOT_PRINCIPAL);
    }
  });

  it('the per-user re-check runs exactly the user-scope checks', () => {
    expect([...USER_CHECK_IDS].sort()).toEqual(
      ALL_CHECKS.filter((c) => c.scope === 'user')
        .map((c) => c.id)
        .sort(),
    );
  });
});

describe('every list of check ids outside the registry', () => {
  const exemption = (checks: string[]) => ({
    account: '111122223333',
    principal: 'ann',
    reason: 'break-glass user',
    expires: '2027-01-01',
    checks,
  });

  it('the config file accepts exactly the registered ids in an exemption', () => {
    const parsed = configSchema.parse({ exemptions: [exemption([...CHECK_IDS])] });
    expect(parsed.exemptions[0]!.checks).toEqual(CHECK_IDS);
    expect(configSchema.safeParse({ exemptions: [exemption(['user-sms-mfa'])] }).success).toBe(false);
    const json = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as unknown as {
      properties: { exemptions: { items: { properties: { checks: { items: { enum: string[] } } } } } };
    };
    expect(json.properties.exemptions.items.properties.checks.items.enum).toEqual(CHECK_IDS);
  });

  it('the finding-changed event schema lists exactly the registered ids', () => {
    const schema = JSON.parse(readFileSync('schema/finding-changed.schema.json', 'utf8')) as {
      properties: { finding: { properties: { check: { enum: string[] } } } };
    };
    expect(
      schema.properties.finding.properties.check.enum,
      'schema/finding-changed.schema.json: finding.check.enum',
    ).toEqual(CHECK_IDS);
  });
});
