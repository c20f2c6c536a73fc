// npm run bench:csv: the size of `mfa-bot scan --format csv` for a 1,252-row export (a credential report of 1,250
// IAM users plus the root user's two checks), through the real CLI: the default columns of the previous version,
// today's default (plus alias and reportAgeMinutes), and a narrow --columns. Usage: npm run bench:csv -- [users=1250]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSV_COLUMNS } from '../src/report/csv.js';
import { runCli } from '../test/support/cli.js';

const users = Number(process.argv[2] ?? 1250);
const ACCOUNT = '111122223333';
const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,' +
  'mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,' +
  'access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,' +
  'access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,' +
  'cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const tail = 'N/A,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
const lines = [
  HEADER,
  `<root_account>,arn:aws:iam::${ACCOUNT}:root,2019-03-01T10:00:00+00:00,not_supported,N/A,not_supported,` +
    `not_supported,false,${tail.slice(4)}`,
];
// A third without MFA, a half with it, the rest without a console password: a plausible large account.
for (let i = 0; i < users; i++) {
  const name = `user${String(i).padStart(5, '0')}.name@example.com`;
  const password = i % 6 !== 5;
  const mfa = password && i % 3 !== 0;
  lines.push(
    `${name},arn:aws:iam::${ACCOUNT}:user/${name},2024-01-01T00:00:00+00:00,${password},N/A,` +
      `${password ? '2024-01-01T00:00:00+00:00' : 'N/A'},${mfa},${tail}`,
  );
}
const report = join(mkdtempSync(join(tmpdir(), 'mfa-bot-csv-bench-')), 'report.csv');
writeFileSync(report, `${lines.join('\n')}\n`);

const before = CSV_COLUMNS.filter((c) => c !== 'alias' && c !== 'reportAgeMinutes').join(',');
const narrow = 'accountId,alias,principal,check,status,severity,deadline,reportAgeMinutes';
console.log('| columns | rows | bytes |');
console.log('|---|---|---|');
for (const [label, columns] of [
  ['previous default (11 columns)', before],
  ['default (13 columns)', CSV_COLUMNS.join(',')],
  [`--columns ${narrow}`, narrow],
] as const) {
  const r = await runCli(['scan', '--credential-report', report, '--format', 'csv', '--columns', columns]);
  if (r.code > 1) throw new Error(r.stderr);
  const rows = r.stdout.trimEnd().split('\n').length - 1;
  console.log(`| ${label} | ${rows.toLocaleString('en')} | ${Buffer.byteLength(r.stdout).toLocaleString('en')} |`);
}
