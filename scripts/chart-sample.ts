// Renders docs/chart.png from made-up but consistent state: 11 accounts over 95 days, where each console user
// without MFA has an open case until the day they turn MFA on, and new users arrive without it.
// `npx tsx scripts/chart-sample.ts [out.png]`
import { writeFileSync } from 'node:fs';
import type { CaseSpan } from '../src/domain/metrics/coverage.js';
import type { AccountScanSummary } from '../src/domain/trend.js';
import { coverageChartPng } from '../src/report/chart/coverage-chart.js';

const DAY = 86_400_000;
const now = new Date('2026-12-01T08:00:00Z');
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const names = ['prod', 'payments', 'data', 'web', 'ml', 'security', 'ops', 'qa', 'sandbox', 'finance', 'legal'];
const summaries: AccountScanSummary[] = [];
const cases: CaseSpan[] = [];
let scanId = 0;
const days = 95;
const accounts = names.map((name, i) => {
  const accountId = String(210_987_654_321 + i * 1_111);
  // Each user: the day they appear (0 = before the window) and the day MFA goes on (undefined: never).
  const size = 15 + Math.round(random() * 60);
  const users = Array.from({ length: size }, () => {
    const joins = random() < 0.8 ? 0 : Math.round(random() * days);
    const bare = random() < 0.35 + (i % 4) * 0.08;
    const fixes = bare ? joins + Math.round(random() * 140) : joins;
    return { joins, fixes };
  });
  for (const u of users) {
    if (u.fixes > u.joins)
      cases.push({
        accountId,
        openedAt: new Date(now.getTime() - (days - u.joins) * DAY),
        ...(u.fixes <= days ? { resolvedAt: new Date(now.getTime() - (days - u.fixes) * DAY) } : {}),
      });
  }
  return { accountId, alias: `acme-${name}`, users };
});
for (let d = 0; d <= days; d++) {
  const scannedAt = new Date(now.getTime() - (days - d) * DAY);
  scanId += 1;
  for (const a of accounts) {
    const present = a.users.filter((u) => u.joins <= d);
    const pass = present.filter((u) => u.fixes <= d).length;
    const fail = present.length - pass;
    summaries.push({
      scanId,
      scannedAt,
      accountId: a.accountId,
      alias: a.alias,
      rootMfa: 'hardware',
      users: { pass, fail, grace: 0, exempt: 0 },
      failing: fail,
    });
  }
}
const out = process.argv[2] ?? 'docs/chart.png';
const chart = await coverageChartPng({ summaries, cases, now });
writeFileSync(out, chart.png);
console.log(`wrote ${out}: ${chart.png.length} bytes, ${chart.lines.length} lines for ${chart.accounts} accounts`);
