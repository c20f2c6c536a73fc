import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CredentialReportFormatError,
  parseCredentialReportCsv,
  reportAccount,
} from '../../src/aws/credential-report-csv.js';
import { joinedRegExp } from '../support/regexp.js';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,' +
  'mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,' +
  'access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,' +
  'access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,' +
  'cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const TAIL = 'false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
const T = '2020-01-01T00:00:00+00:00';
/** A console user without MFA, written as AWS writes it: the name unquoted. */
const userLine = (name: string, arnName = name) =>
  `${name},arn:aws:iam::111122223333:user/${arnName},${T},true,N/A,${T},N/A,false,${TAIL}`;
const parse = (...lines: string[]) => parseCredentialReportCsv(`${[HEADER, ...lines].join('\n')}\n`);

describe('parseCredentialReportCsv', () => {
  it('parses a real-shaped report with CRLF line endings', () => {
    const { rows, unreadable } = parseCredentialReportCsv(
      readFileSync('test/fixtures/credential-report-crlf.csv', 'utf8'),
    );
    expect(unreadable).toEqual([]);
    expect(rows.map((r) => r.user)).toEqual([
      '<root_account>',
      'alice',
      'bob',
      'ci-bot',
      'carol+ops=x.y@example.com',
      'breakglass',
    ]);
    const [root, alice, bob, ci] = rows;
    expect(root!.passwordEnabled).toBeNull();
    expect(root!.passwordLastChanged).toBeNull();
    expect(root!.passwordLastUsed).toEqual(new Date('2026-11-01T08:00:00Z'));
    expect(alice!).toMatchObject({ passwordEnabled: true, mfaActive: true, line: 3 });
    expect(bob!.passwordLastUsed).toBeNull(); // no_information
    expect(bob!.accessKey1Active).toBe(true);
    expect(ci!.arn).toBe('arn:aws:iam::111122223333:user/automation/ci-bot');
    expect(ci!.passwordEnabled).toBe(false);
    expect(reportAccount(rows)).toEqual({ accountId: '111122223333', partition: 'aws' });
  });

  it('reads when each active access key was last used, for enforcement', () => {
    const used = '2026-11-20T09:00:00+00:00';
    const keys = `true,N/A,${used},us-east-1,s3,true,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
    const { rows } = parse(`kim,arn:aws:iam::111122223333:user/kim,${T},true,N/A,${T},N/A,false,${keys}`);
    expect(rows[0]).toMatchObject({
      accessKey1Active: true,
      accessKey1LastUsed: new Date('2026-11-20T09:00:00Z'),
      accessKey2Active: true,
      accessKey2LastUsed: null,
    });
  });

  it('accepts GovCloud and China ARNs, a BOM and quoted fields', () => {
    const text =
      `\uFEFF${HEADER}\n"<root_account>",arn:aws-us-gov:iam::123456789012:root,` +
      `2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true,${TAIL}\n`;
    const { rows } = parseCredentialReportCsv(text);
    expect(rows[0]!.mfaActive).toBe(true);
    expect(reportAccount(rows)).toEqual({ accountId: '123456789012', partition: 'aws-us-gov' });
    const cn = parseCredentialReportCsv(
      `${HEADER}\nu,arn:aws-cn:iam::123456789012:user/u,` +
        `2020-01-01T00:00:00+00:00,true,N/A,2020-01-01T00:00:00+00:00,N/A,false,${TAIL}\n`,
    );
    expect(reportAccount(cn.rows)!.partition).toBe('aws-cn');
  });

  it('reads a user name with commas written unquoted: the ARN, which ends with the name, places the split', () => {
    const { rows, unreadable } = parse(
      userLine('alice'),
      userLine('doe,john'),
      userLine('a,b,c+=.@_-', 'ops,team/a,b,c+=.@_-'),
      userLine('zed'),
    );
    expect(unreadable).toEqual([]);
    expect(rows.map((r) => [r.user, r.arn, r.line])).toEqual([
      ['alice', 'arn:aws:iam::111122223333:user/alice', 2],
      ['doe,john', 'arn:aws:iam::111122223333:user/doe,john', 3],
      ['a,b,c+=.@_-', 'arn:aws:iam::111122223333:user/ops,team/a,b,c+=.@_-', 4],
      ['zed', 'arn:aws:iam::111122223333:user/zed', 5],
    ]);
    expect(rows[1]).toMatchObject({ passwordEnabled: true, mfaActive: false, passwordLastChanged: new Date(T) });
  });

  it('reads the same names quoted as RFC 4180 writes them', () => {
    const { rows, unreadable } = parse(
      `"doe,john","arn:aws:iam::111122223333:user/doe,john",${T},true,N/A,${T},N/A,false,${TAIL}`,
      `"say ""hi""",arn:aws:iam::111122223333:user/x,${T},true,N/A,${T},N/A,true,${TAIL}`,
    );
    expect(unreadable).toEqual([]);
    expect(rows.map((r) => r.user)).toEqual(['doe,john', 'say "hi"']);
  });

  it('sets aside each unreadable row with its line and reason, and keeps every other row', () => {
    const { rows, unreadable } = parse(
      userLine('alice'),
      `short,arn:aws:iam::111122223333:user/short,${T},true`, // too few fields
      `x,y,${userLine('z').slice(2)}`, // extra fields the ARN does not explain
      '\u001b[2J<!channel> garbage "quote',
      userLine('bob').replace(',false,', ',yes,'),
      userLine('carol'),
    );
    expect(rows.map((r) => r.user)).toEqual(['alice', 'carol']);
    expect(unreadable.map((u) => u.line)).toEqual([3, 4, 5, 6]);
    expect(unreadable[0]).toEqual({
      line: 3,
      user: '"short"',
      reason: 'malformed CSV: 4 fields where the header has 22',
    });
    expect(unreadable[1]!.reason).toMatch(
      joinedRegExp(
        /^malformed CSV: 23 fields where the header has 22, /,
        /and no single user name and ARN account for the extra commas$/,
      ),
    );
    expect(unreadable[2]!.reason).toMatch(/^malformed CSV: /);
    expect(unreadable[3]).toEqual({
      line: 6,
      user: '"bob"',
      reason: 'mfa_active is "yes", expected true, false or N/A',
    });
  });

  it('shows control characters of a bad value as escapes, never raw', () => {
    const { unreadable } = parse(
      userLine('bob').replace(',false,', ',\u001b[31mred\u202e,'),
      `\u001b]0;x\u0007,arn,${TAIL}`,
    );
    expect(unreadable[0]!.reason).toBe('mfa_active is "\\u001b[31mred\\u202e", expected true, false or N/A');
    expect(JSON.stringify(unreadable)).not.toMatch(/[\u0000-\u001f\u202e]/);
  });

  it('rejects files that are not credential reports', () => {
    expect(() => parseCredentialReportCsv('')).toThrow(/empty/);
    expect(() => parseCredentialReportCsv('name,email\nbob,bob@example.com\n')).toThrow(CredentialReportFormatError);
    expect(() => parseCredentialReportCsv('name,email\nbob,bob@example.com\n')).toThrow(
      /line 1: not an IAM credential report: missing columns user, arn/,
    );
    expect(parse(`bob,not-an-arn,N/A,true,N/A,N/A,N/A,false,${TAIL}`).unreadable[0]!.reason).toBe(
      'arn "not-an-arn" is not an IAM user or root ARN',
    );
  });
});
