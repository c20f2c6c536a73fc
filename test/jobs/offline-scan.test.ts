import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { InputError, MAX_REPORT_BYTES, scanCredentialReportFile } from '../../src/jobs/offline-scan.js';
import { renderCsv } from '../../src/report/csv.js';
import { renderJson } from '../../src/report/findings.js';
import { renderTable } from '../../src/report/table.js';
import { buildDigest } from '../../src/slack/blocks/digest.js';
import { joinedRegExp } from '../support/regexp.js';

const HEADER = readFileSync('test/fixtures/credential-report-crlf.csv', 'utf8').split('\r\n')[0]!;
const TAIL = 'false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
const T = '2020-01-01T00:00:00+00:00';
const NOW = new Date('2026-12-01T00:00:00Z');
const config = parseConfig({ checks: { gracePeriodDays: 0 } });
const user = (name: string, mfa = false) =>
  `${name},arn:aws:iam::111122223333:user/${name},${T},true,N/A,${T},N/A,${mfa},${TAIL}`;
const ROOT =
  `<root_account>,arn:aws:iam::111122223333:root,${T},` + `not_supported,N/A,not_supported,not_supported,true,${TAIL}`;

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mfa-bot-offline-')), name);
  writeFileSync(path, text);
  return path;
}

describe('scanCredentialReportFile', () => {
  it('gives an unreadable row one error finding naming its line; every other user is judged', () => {
    const path = file(
      'r.csv',
      [HEADER, ROOT, user('alice'), '\u001b[2J<!channel> *garbage* "x', user('doe,john'), user('carol', true), ''].join(
        '\n',
      ),
    );
    const [account] = scanCredentialReportFile(path, config, NOW).accounts;
    expect(account!.error).toBeUndefined();
    const console = account!.verdicts.filter((v) => v.check === 'user-console-mfa');
    expect(console.map((v) => [v.principal, v.status])).toEqual([
      ['alice', 'fail'],
      ['doe,john', 'fail'],
      ['carol', 'pass'],
      ['<credential report line 4>', 'error'],
    ]);
    expect(console[3]!.reason).toMatch(
      joinedRegExp(
        /^Line 4 of the credential report /,
        /\(user "\\u001b\[2J<!channel> \*garbage\* \\"x"\) could not be read: malformed CSV: /,
      ),
    );

    // Shown everywhere without the raw escape sequence.
    const scan = { generatedAt: NOW, accounts: [account!] };
    for (const out of [renderTable(scan, { colour: false, now: NOW }), renderJson(scan), renderCsv(scan)]) {
      expect(out).toContain('credential report line 4');
      expect(out).not.toContain('\u001b');
    }
    const slack = JSON.stringify(buildDigest({ scan, identities: new Map(), now: NOW }).blocks);
    expect(slack).toContain('credential report line 4');
    expect(slack).toContain('&lt;!channel&gt;');
    // JSON writes a raw ESC as \u001b; the reason's own escape is the six characters \u001b, written \\u001b.
    expect(slack).not.toMatch(/<!channel>|(?<!\\)\\u001b/);
  });

  it('refuses a device, a FIFO and an oversized file, stating the limit, before reading them', () => {
    expect(() => scanCredentialReportFile('/dev/zero', config, NOW)).toThrow(
      new InputError('/dev/zero: not a regular file; give the credential report CSV downloaded from the IAM console'),
    );
    const fifo = join(mkdtempSync(join(tmpdir(), 'mfa-bot-offline-')), 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(() => scanCredentialReportFile(fifo, config, NOW)).toThrow(/pipe: not a regular file/);
    const big = file('big.csv', '');
    truncateSync(big, MAX_REPORT_BYTES + 1); // sparse: no disk used
    expect(() => scanCredentialReportFile(big, config, NOW)).toThrow(
      /big\.csv: 64 MB is more than a credential report can be \(the limit is 64 MB\)/,
    );
  });

  it('refuses a report none of whose rows can be read, naming the first bad line', () => {
    const path = file('bad.csv', `${HEADER}\nbob,arn:aws:iam::111122223333:user/bob,N/A,true\n`);
    expect(() => scanCredentialReportFile(path, config, NOW)).toThrow(
      /bad\.csv: line 2: malformed CSV: 4 fields where the header has 22 \(and no row of the report could be read\)/,
    );
  });
});
