import { describe, expect, it } from 'vitest';
import type { AccountResult, Verdict } from '../../src/domain/types.js';
import { renderTable } from '../../src/report/table.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const verdict = (principal: string, reason: string, status: Verdict['status'] = 'fail'): Verdict => ({
  check: 'user-console-mfa',
  accountId: '111122223333',
  principal,
  arn: '',
  status,
  severity: 'high',
  reason,
  controls: [],
  remediation: '',
});
const account = (verdicts: Verdict[], extra: Partial<AccountResult> = {}): AccountResult => ({
  accountId: '111122223333',
  partition: 'aws',
  rootMfa: 'none',
  verdicts,
  ...extra,
});

describe('renderTable', () => {
  it('draws one box per status, wraps long reasons within the column and keeps every line the same width', () => {
    const long = 'word '.repeat(40).trim();
    const out = renderTable(
      {
        generatedAt: NOW,
        accounts: [account([verdict('bob', long), verdict('x'.repeat(40), 'short'), verdict('ann', 'ok', 'pass')])],
      },
      { colour: false, now: NOW, width: 100 },
    );
    const box = out.split('\n').filter((l) => /^[┌│├└]/.test(l));
    expect(new Set(box.map((l) => [...l].length)).size).toBe(1);
    expect(box[0]).toMatch(/^┌─+┬─+┬─+┬─+┐$/);
    expect(out).toMatch(/FAIL \(2\)\n┌/);
    expect(out).toMatch(/PASS \(1\)\n┌/);
    // 200 characters of reason in a 38-character column: no word lost.
    const reasonLines = box.filter((l) => l.includes('word')).map((l) => l.split('│')[4]!.trim());
    expect(reasonLines.join(' ')).toBe(long);
    // A principal longer than its column is broken, not cut.
    expect(
      box
        .filter((l) => l.includes('xxxx'))
        .map((l) => l.split('│')[1]!.trim())
        .join(''),
    ).toBe('x'.repeat(40));
    expect(out).toMatch(/2 fail, 1 pass across 1 account\.\n$/);
  });

  it("shows each finding's severity in a column of its own", () => {
    const medium = {
      ...verdict('dan', 'virtual only'),
      check: 'user-hardware-mfa' as const,
      severity: 'medium' as const,
    };
    const out = renderTable(
      { generatedAt: NOW, accounts: [account([verdict('bob', 'no MFA'), medium])] },
      { colour: false, now: NOW, width: 100 },
    );
    const cells = (needle: string) =>
      out
        .split('\n')
        .find((l) => l.startsWith('│') && l.includes(needle))!
        .split('│')
        .map((c) => c.trim());
    expect(cells('Principal').slice(1, 5)).toEqual(['Principal', 'Check', 'Severity', 'Reason']);
    expect(cells('bob').slice(1, 5)).toEqual(['bob', 'user-console-mfa', 'high', 'no MFA']);
    expect(cells('dan').slice(1, 5)).toEqual(['dan', 'user-hardware-mfa', 'medium', 'virtual only']);
  });

  it('never writes control characters from AWS text to the terminal', () => {
    const out = renderTable(
      {
        generatedAt: NOW,
        accounts: [
          account([verdict('bob', 'Rate \u001b[2Jexceeded\u0007 \u202eevil')], {
            alias: 'a\u001b]0;x',
            error: { code: 'X', message: 'bad\u001b[31m' },
          }),
        ],
      },
      { colour: false, now: NOW },
    );
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(out).toContain('Rate ?[2Jexceeded? ?evil');
  });
});
