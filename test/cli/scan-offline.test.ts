import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const REPORT = 'test/fixtures/credential-report-crlf.csv';

function tmp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mfa-bot-cli-')), name);
  writeFileSync(path, text);
  return path;
}

describe('mfa-bot scan --credential-report', () => {
  it('prints a table grouped by status with a summary line and exits 1 on failures', async () => {
    const r = await runCli(['scan', '--credential-report', REPORT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL \(4\)[\s\S]*GRACE \(1\)[\s\S]*PASS \(1\)/);
    expect(r.stdout).toMatch(/4 fail, 1 grace, 1 pass, 1 not_applicable across 1 account\.\n$/);
    expect(r.stdout).not.toMatch(/\x1b\[/); // no colour when not a terminal
  });

  it('colours the table on a terminal unless NO_COLOR is set', async () => {
    expect((await runCli(['scan', '--credential-report', REPORT], { tty: true })).stdout).toMatch(/\x1b\[31m/);
    expect(
      (await runCli(['scan', '--credential-report', REPORT], { tty: true, env: { NO_COLOR: '1' } })).stdout,
    ).not.toMatch(/\x1b\[/);
  });

  it('emits the documented JSON shape, with a finding for every evaluated principal', async () => {
    const r = await runCli(['scan', '--credential-report', REPORT, '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.accounts).toEqual([
      expect.objectContaining({
        accountId: '111122223333',
        partition: 'aws',
        rootMfa: 'none',
        credentialReportGeneratedAt: expect.any(String),
      }),
    ]);
    const byKey = Object.fromEntries(
      doc.findings.map((f: { check: string; principal: string }) => [`${f.check}/${f.principal}`, f]),
    );
    expect(byKey['root-mfa/<root_account>'].status).toBe('fail');
    expect(byKey['root-hardware-mfa/<root_account>'].status).toBe('fail');
    expect(byKey['user-console-mfa/alice'].status).toBe('pass');
    expect(byKey['user-console-mfa/ci-bot'].status).toBe('not_applicable');
    expect(byKey['user-console-mfa/carol+ops=x.y@example.com']).toMatchObject({
      status: 'grace',
      deadline: '2026-11-27T00:00:00.000Z',
    });
    for (const f of doc.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining([
          'check',
          'accountId',
          'principal',
          'arn',
          'status',
          'severity',
          'reason',
          'controls',
          'remediation',
        ]),
      );
    }
  });

  it('marks root-hardware-mfa not_evaluated when root has MFA but devices cannot be listed offline', async () => {
    const text = (await import('node:fs'))
      .readFileSync(REPORT, 'utf8')
      .replace('not_supported,not_supported,false,false', 'not_supported,not_supported,true,false');
    const r = await runCli(['scan', '--credential-report', tmp('r.csv', text), '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings.find((f: { check: string }) => f.check === 'root-hardware-mfa').status).toBe('not_evaluated');
    expect(doc.findings.find((f: { check: string }) => f.check === 'root-mfa').status).toBe('pass');
    expect(doc.accounts[0].rootMfa).toBe('unknown');
  });

  it('writes one CSV row per finding, neutralising spreadsheet formulas', async () => {
    const text = (await import('node:fs')).readFileSync(REPORT, 'utf8').replaceAll('breakglass', '=cmd|x');
    const r = await runCli(['scan', '--credential-report', tmp('r.csv', text), '--format', 'csv']);
    const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(7);
    expect(rows.map((x) => x.principal)).toContain("'=cmd|x");
    expect(rows.find((x) => x.principal === 'bob')).toMatchObject({
      check: 'user-console-mfa',
      status: 'fail',
      severity: 'high',
    });
  });

  it('applies exemptions from the config file', async () => {
    const config = tmp(
      'c.yml',
      'exemptions:\n  - { account: "111122223333", principal: breakglass, ' +
        'reason: "sealed envelope in the safe", expires: 2027-06-30 }\n',
    );
    const r = await runCli(['scan', '--credential-report', REPORT, '--config', config, '--format', 'json']);
    const f = JSON.parse(r.stdout).findings.find((x: { principal: string }) => x.principal === 'breakglass');
    expect(f).toMatchObject({
      status: 'exempt',
      exemption: { reason: 'sealed envelope in the safe', expires: '2027-06-30' },
    });
  });

  it('exits 0 when nothing fails', async () => {
    const text = (await import('node:fs'))
      .readFileSync(REPORT, 'utf8')
      .split('\r\n')
      .filter((l) => /^(user,|alice,|ci-bot,)/.test(l))
      .join('\r\n');
    const r = await runCli(['scan', '--credential-report', tmp('ok.csv', text)]);
    expect(r.code).toBe(0);
  });

  it.each([
    [['scan', '--format', 'xml'], /argument 'xml' is invalid/],
    [['scan', '--bogus'], /unknown option '--bogus'/],
    [['scna'], /unknown command 'scna'/],
  ])('exits 2 on bad usage %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 with one line naming the problem for unreadable or malformed input and bad config', async () => {
    const missing = await runCli(['scan', '--credential-report', '/nope/report.csv']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe('mfa-bot: /nope/report.csv: cannot read credential report (ENOENT)\n');

    const bad = tmp(
      'bad.csv',
      'user,arn,user_creation_time,password_enabled,password_last_changed,mfa_active\n' +
        'bob,arn:aws:iam::111122223333:user/bob,N/A,true\n',
    );
    const malformed = await runCli(['scan', '--credential-report', bad]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/bad\.csv: line 2: malformed CSV/);

    const config = tmp('c.yml', 'checks: { gracePeriodDays: lots }\n');
    const badConfig = await runCli(['scan', '--credential-report', REPORT, '--config', config]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/c\.yml: checks\.gracePeriodDays: /);
    expect(badConfig.stderr.trim().split('\n')).toHaveLength(1);
  });
});
