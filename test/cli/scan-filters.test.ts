import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * The fixture, on the runCli clock (2026-11-23): root fails root-mfa (critical) and root-hardware-mfa (high);
 * bob and breakglass fail user-console-mfa (high), carol is in grace, alice passes, ci-bot is not_applicable.
 */
const REPORT = 'test/fixtures/credential-report-crlf.csv';
const ACCOUNT = '111122223333';

function tmp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mfa-bot-filter-')), name);
  writeFileSync(path, text);
  return path;
}

const scan = (...args: string[]) => runCli(['scan', '--credential-report', REPORT, ...args]);

/** check/principal/status of every finding a format printed, whatever its shape. */
async function shown(format: string, ...args: string[]): Promise<string[]> {
  const { stdout } = await scan('--format', format, ...args);
  if (format === 'json')
    return JSON.parse(stdout).findings.map(
      (f: { check: string; principal: string; status: string }) => `${f.check}/${f.principal}/${f.status}`,
    );
  if (format === 'csv')
    return (parse(stdout, { columns: true }) as Array<Record<string, string>>).map(
      (r) => `${r.check}/${r.principal}/${r.status}`,
    );
  if (format === 'asff')
    return JSON.parse(stdout).Findings.map(
      (f: { ProductFields: Record<string, string>; Id: string }) =>
        `${f.ProductFields['mfa-bot/check']}/${decodeURIComponent(f.Id.split('/').pop()!)}/` +
        `${f.ProductFields['mfa-bot/status']}`,
    );
  if (format === 'ocsf')
    return JSON.parse(stdout).map(
      (e: { unmapped: { check: string; status: string }; resources: Array<{ name: string }> }) =>
        `${e.unmapped.check}/${e.resources[0]!.name}/${e.unmapped.status}`,
    );
  // table: the principal and check cells of each row
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('│') && !l.includes('Principal') && !l.startsWith('│  '))
    .map((l) => l.split('│').map((c) => c.trim()))
    .map((c) => `${c[2]}/${c[1]}`);
}

describe('mfa-bot scan filters', () => {
  it.each(['json', 'csv'])('--status fail,grace keeps only those findings in %s', async (format) => {
    expect((await shown(format, '--status', 'fail,grace')).sort()).toEqual(
      [
        'root-hardware-mfa/<root_account>/fail',
        'root-mfa/<root_account>/fail',
        'user-console-mfa/breakglass/fail',
        'user-console-mfa/bob/fail',
        'user-console-mfa/carol+ops=x.y@example.com/grace',
      ].sort(),
    );
  });

  it.each(['asff', 'ocsf'])('--status grace narrows the open findings of %s too', async (format) => {
    expect(await shown(format, '--status', 'grace')).toEqual(['user-console-mfa/carol+ops=x.y@example.com/grace']);
  });

  it('--status in the table lists exactly those statuses, not_applicable included when asked', async () => {
    const r = await scan('--status', 'grace', '--status', 'not_applicable');
    expect(r.stdout).toMatch(/GRACE \(1\)[\s\S]*NOT_APPLICABLE \(1\)/);
    expect(r.stdout).not.toMatch(/FAIL|PASS/);
    expect(r.stdout).toContain('Filtered by --status grace,not_applicable: 2 of 7 findings shown.\n');
  });

  it.each(['table', 'json', 'csv', 'asff', 'ocsf'])('--severity critical keeps only root-mfa in %s', async (f) => {
    const rows = await shown(f, '--severity', 'critical');
    expect(rows.map((r) => r.split('/')[0])).toEqual(['root-mfa']);
  });

  it('--severity takes a list, in any case', async () => {
    const rows = await shown('json', '--severity', 'HIGH,medium');
    expect(rows).toHaveLength(6);
    expect(rows.some((r) => r.startsWith('root-mfa/'))).toBe(false);
  });

  it.each(['table', 'json', 'csv', 'asff', 'ocsf'])('--check root-mfa,root-hardware-mfa in %s', async (f) => {
    const checks = (await shown(f, '--check', 'root-mfa,root-hardware-mfa')).map((r) => r.split('/')[0]).sort();
    expect(checks).toEqual(['root-hardware-mfa', 'root-mfa']);
  });

  it('--account keeps the account it names; the filters combine', async () => {
    const rows = await shown('json', '--account', ACCOUNT, '--check', 'user-console-mfa', '--status', 'fail');
    expect(rows.sort()).toEqual(['user-console-mfa/bob/fail', 'user-console-mfa/breakglass/fail']);
  });

  it('--all still lists not_applicable principals in the table; without it they are only counted', async () => {
    expect((await scan('--all')).stdout).toMatch(/NOT_APPLICABLE \(1\)[\s\S]*ci-bot/);
    const plain = await scan();
    expect(plain.stdout).not.toContain('ci-bot');
    expect(plain.stdout).toMatch(/1 not_applicable across 1 account\.\n$/);
  });

  it('exits as what is shown: 1 with a fail shown, 0 when the filter shows none', async () => {
    expect((await scan('--status', 'fail')).code).toBe(1);
    expect((await scan('--severity', 'critical', '--format', 'csv')).code).toBe(1);
    expect((await scan('--status', 'grace,pass')).code).toBe(0);
    expect((await scan('--severity', 'medium', '--format', 'json')).code).toBe(0);
    const none = await scan('--check', 'user-hardware-mfa');
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('no findings across 1 account.\nFiltered by --check user-hardware-mfa: 0 of 7');
  });

  it('exits 3 when an error finding is hidden only by --status: its status is unknown, maybe fail', async () => {
    const text = readFileSync(REPORT, 'utf8').split('\r\n');
    const report = tmp('r.csv', [...text.slice(0, 3), 'dave,arn:aws:iam::111122223333:user/dave,xx'].join('\r\n'));
    const r = await runCli(['scan', '--credential-report', report, '--status', 'pass', '--check', 'user-console-mfa']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'mfa-bot: 1 finding could not be evaluated (status error) and is not shown by --status; ' +
        'add --status error to see why\n',
    );
    // Outside the checks asked about, the error is no part of the answer.
    const root = await runCli(['scan', '--credential-report', report, '--check', 'root-mfa', '--status', 'fail']);
    expect(root).toMatchObject({ code: 1, stderr: '' });
  });

  it.each([
    [
      ['--status', 'failed'],
      "unknown status 'failed'; valid: fail, error, grace, exempt, not_evaluated, pass, not_applicable",
    ],
    [['--status', 'fail,'], "unknown status ''; valid: fail, error"],
    [['--severity', 'urgent'], "unknown severity 'urgent'; valid: critical, high, medium, low"],
    [
      ['--check', 'user-mfa'],
      "unknown check 'user-mfa'; valid: root-mfa, root-hardware-mfa, user-console-mfa, user-hardware-mfa",
    ],
    [['--account', '1111-2222-3333'], "'1111-2222-3333' is not an AWS account ID (12 digits, e.g. 111122223333)"],
    [['--format', 'csv', '--columns', 'principal,owner'], "unknown column 'owner'; valid: check, accountId, principal"],
  ])('refuses %j with the valid values, exit 2 and nothing on stdout', async (args, message) => {
    const r = await scan(...args);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(message);
  });

  it('refuses an --account the scan did not cover, naming the ones it did', async () => {
    const r = await scan('--account', '999999999999');
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`mfa-bot: --account 999999999999: not in this scan; the scan covered account ${ACCOUNT}\n`);
  });
});

describe('mfa-bot scan --format csv', () => {
  it('adds the alias and report-age columns at the end of the default columns', async () => {
    const report = tmp('r.csv', readFileSync(REPORT, 'utf8'));
    // Offline, the file's modification time is the report's generation time: 90 minutes before the scan.
    const { utimesSync } = await import('node:fs');
    const made = new Date('2026-11-23T10:30:00Z');
    utimesSync(report, made, made);
    const r = await runCli(['scan', '--credential-report', report, '--format', 'csv']);
    const [header, ...rows] = parse(r.stdout) as string[][];
    expect(header!.join(',')).toBe(
      'check,accountId,principal,arn,status,severity,reason,controls,remediation,deadline,exemptionExpires,' +
        'alias,reportAgeMinutes',
    );
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(row.slice(-2)).toEqual(['', '90']); // a downloaded report names no alias
  });

  it('--columns picks and orders the columns, with filters too', async () => {
    const r = await scan('--format', 'csv', '--columns', 'principal,status,severity', '--status', 'fail');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'principal,status,severity\n<root_account>,fail,critical\n<root_account>,fail,high\nbob,fail,high\n' +
        'breakglass,fail,high\n',
    );
  });

  it('--columns needs --format csv', async () => {
    const r = await scan('--columns', 'principal');
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('mfa-bot: --columns selects CSV columns: it needs --format csv (not table)\n');
  });
});
