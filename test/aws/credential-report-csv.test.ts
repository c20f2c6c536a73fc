import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CredentialReportFormatError, parseCredentialReportCsv, reportAccount } from '../../src/aws/credential-report-csv.js';

export const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const TAIL = 'false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

describe('parseCredentialReportCsv', () => {
  it('parses a real-shaped report with CRLF line endings', () => {
    const rows = parseCredentialReportCsv(readFileSync('test/fixtures/credential-report-crlf.csv', 'utf8'));
    expect(rows.map((r) => r.user)).toEqual(['<root_account>', 'alice', 'bob', 'ci-bot', 'carol+ops=x.y@example.com', 'breakglass']);
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

  it('accepts GovCloud and China ARNs, a BOM and quoted fields', () => {
    const text = `\uFEFF${HEADER}\n"<root_account>",arn:aws-us-gov:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true,${TAIL}\n`;
    const rows = parseCredentialReportCsv(text);
    expect(rows[0]!.mfaActive).toBe(true);
    expect(reportAccount(rows)).toEqual({ accountId: '123456789012', partition: 'aws-us-gov' });
    const cn = parseCredentialReportCsv(`${HEADER}\nu,arn:aws-cn:iam::123456789012:user/u,2020-01-01T00:00:00+00:00,true,N/A,2020-01-01T00:00:00+00:00,N/A,false,${TAIL}\n`);
    expect(reportAccount(cn)!.partition).toBe('aws-cn');
  });

  it('names the line of a row with the wrong number of columns', () => {
    const text = `${HEADER}\nalice,arn:aws:iam::111122223333:user/alice,2020-01-01T00:00:00+00:00,true\n`;
    expect(() => parseCredentialReportCsv(text)).toThrow(CredentialReportFormatError);
    expect(() => parseCredentialReportCsv(text)).toThrow(/line 2/);
  });

  it('names the line and column of a bad value', () => {
    const text = `${HEADER}\nalice,arn:aws:iam::111122223333:user/alice,2020-01-01T00:00:00+00:00,true,N/A,2020-01-01,N/A,yes,${TAIL}\n`;
    expect(() => parseCredentialReportCsv(text)).toThrow(/line 2: password_last_changed is "2020-01-01"/);
    const badFlag = `${HEADER}\nalice,arn:aws:iam::111122223333:user/alice,2020-01-01T00:00:00+00:00,true,N/A,N/A,N/A,yes,${TAIL}\n`;
    expect(() => parseCredentialReportCsv(badFlag)).toThrow(/line 2: mfa_active is "yes"/);
  });

  it('rejects files that are not credential reports', () => {
    expect(() => parseCredentialReportCsv('')).toThrow(/empty/);
    expect(() => parseCredentialReportCsv('name,email\nbob,bob@example.com\n')).toThrow(/missing columns user, arn/);
    expect(() => parseCredentialReportCsv(`${HEADER}\nbob,not-an-arn,N/A,true,N/A,N/A,N/A,false,${TAIL}\n`)).toThrow(/line 2: arn "not-an-arn"/);
    expect(() => parseCredentialReportCsv(`${HEADER}\n"unterminated,arn\n`)).toThrow(/malformed CSV/);
  });
});
