// npm run bench:render: how long the scan renderers take for a large result. Usage: npm run bench:render --
// [rows=100000]
import { renderCsv } from '../src/report/csv.js';
import { renderJson } from '../src/report/findings.js';
import { renderTable } from '../src/report/table.js';
import type { ScanResult, Status, Verdict } from '../src/domain/types.js';

const rows = Number(process.argv[2] ?? 100_000);
const STATUS: Status[] = ['fail', 'pass', 'grace', 'not_applicable', 'exempt'];
const now = new Date('2026-12-01T00:00:00Z');
const verdicts: Verdict[] = Array.from({ length: rows }, (_, i) => ({
  check: 'user-console-mfa',
  accountId: String(100000000000 + (i % 50)),
  principal: `user${String(i).padStart(6, '0')}.with.a.longer+name@example.com`,
  arn: `arn:aws:iam::${100000000000 + (i % 50)}:user/user${i}`,
  status: STATUS[i % STATUS.length]!,
  severity: 'high',
  reason:
    'Console password without MFA: the password alone opens this ' +
    'login. MFA is due soon, and this reason is long enough to wrap.',
  controls: ['CIS 1.10'],
  remediation: 'Assign an MFA device.',
}));
const byAccount = new Map<string, Verdict[]>();
for (const v of verdicts) {
  const list = byAccount.get(v.accountId) ?? [];
  list.push(v);
  byAccount.set(v.accountId, list);
}
const scan: ScanResult = {
  generatedAt: now,
  accounts: [...byAccount].map(([accountId, vs]) => ({
    accountId,
    partition: 'aws',
    rootMfa: 'virtual',
    credentialReportGeneratedAt: now,
    verdicts: vs,
  })),
};

console.log(`| renderer (${rows.toLocaleString('en')} findings, ${scan.accounts.length} accounts) | time | output |`);
console.log('|---|---|---|');
for (const [name, render] of [
  ['table (all rows)', () => renderTable(scan, { colour: false, now, hide: [] })],
  ['json', () => renderJson(scan)],
  ['csv', () => renderCsv(scan)],
] as const) {
  const start = performance.now();
  const out = render();
  console.log(
    `| ${name} | ${((performance.now() - start) / 1000).toFixed(2)} s | ${(out.length / 1024 / 1024).toFixed(0)} MB |`,
  );
}
