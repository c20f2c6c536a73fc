// npm run bench:report: `mfa-bot report` (the built CLI) over N tracked users (default 10,000) in 10 accounts with
// S daily scans (default 90) ending today, on a state built by saving each scan and running the nudge passes in
// between (bench/nudge-state.ts), pruned to the default state.keepScans (30) as `run` and `serve` prune it.
// Each format runs in a process of its own; its wall time and peak RSS (process.resourceUsage().maxRSS) are the
// whole command's, Node's start-up and module loading included.
// Building the state takes minutes (about 14 on the shared machine): with a directory as third argument the state is
// built there once and reused by later runs on the same UTC day with the same users and scans.
// Usage: npm run bench:report -- [users=10000] [scans=90] [state directory]
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SqliteStateStore } from '../src/store/sqlite/sqlite-store.js';
import { buildNudgeState, DAY, stateFileBytes, type FixDay } from './nudge-state.js';

const users = Number(process.argv[2] ?? 10_000);
const scans = Number(process.argv[3] ?? 90);
const dir = process.argv[4] ?? mkdtempSync(join(tmpdir(), 'mfa-bench-report-'));
mkdirSync(dir, { recursive: true });
const path = join(dir, 'state.db');
const configPath = join(dir, 'mfa-bot.yml');
const builtPath = join(dir, 'built.json');

/** A third fix in their second week, a third some time in the next ten weeks, a third never. */
const spreadOverTheQuarter: FixDay = (i) =>
  i % 3 === 0 ? 7 + (i % 6) : i % 3 === 1 ? 14 + ((i * 37) % 70) : undefined;
/** The last scan is today's, at 09:00 UTC. */
const today = Math.floor(Date.now() / DAY) * DAY + 10 * 3_600_000;

const built = JSON.stringify({ users, scans, today });
if (existsSync(builtPath) && readFileSync(builtPath, 'utf8') === built) {
  console.error(`reusing the state built earlier today in ${dir}`);
} else {
  for (const file of [path, `${path}-wal`, `${path}-shm`, builtPath]) rmSync(file, { force: true });
  const setupStart = performance.now();
  const messages = await buildNudgeState(path, {
    users,
    scans,
    fixDay: spreadOverTheQuarter,
    keepScans: 30,
    start: today - (scans - 1) * DAY,
  });
  const store = SqliteStateStore.open(path);
  const cases = (await store.cases()).length;
  await store.close();
  writeFileSync(builtPath, built);
  const seconds = ((performance.now() - setupStart) / 1000).toFixed(1);
  console.error(
    `built ${scans} scans, ${cases.toLocaleString('en-US')} cases and ${messages.toLocaleString('en-US')} ledger ` +
      `messages for ${users.toLocaleString('en-US')} users in ${seconds} s`,
  );
}

const accounts = Array.from({ length: 10 }, (_, a) => String(100000000000 + a));
writeFileSync(
  configPath,
  [
    `state: { path: ${JSON.stringify(path)} }`,
    'slack:',
    '  routes:',
    `    - { channel: C0TEAMA0001, accounts: [${accounts.slice(0, 5).map((a) => `"${a}"`)}] }`,
    `    - { channel: C0TEAMB0001, accounts: [${accounts.slice(5).map((a) => `"${a}"`)}] }`,
    'exemptions:',
    ...Array.from({ length: 50 }, (_, i) => {
      const expires = new Date(today + (i + 1) * DAY).toISOString().slice(0, 10);
      const principal = `user-${String(i * 97).padStart(5, '0')}`;
      return `  - { account: "${accounts[i % 10]}", principal: ${principal}, reason: "bench", expires: ${expires} }`;
    }),
    '',
  ].join('\n'),
);

const fileMb = stateFileBytes(path) / 1024 / 1024;

async function report(format: string) {
  const child = await promisify(execFile)(
    process.execPath,
    [
      '--require',
      './bench/report-rss.cjs',
      'bin/mfa-bot.js',
      'report',
      '--config',
      configPath,
      '--since',
      '90d',
      '--format',
      format,
    ],
    { maxBuffer: 1 << 30 },
  );
  const measured = JSON.parse(/BENCH (.*)/.exec(child.stderr)![1]!) as { ms: number; cpuMs: number; maxRssMb: number };
  return { format, ...measured, outputMb: Buffer.byteLength(child.stdout) / 1024 / 1024 };
}

const rows = [];
for (const format of ['table', 'json', 'csv', 'html']) rows.push(await report(format));
// The same command with nothing to do but start: the floor every format pays.
const started = await promisify(execFile)(process.execPath, [
  '--require',
  './bench/report-rss.cjs',
  'bin/mfa-bot.js',
  '--version',
]);
const floor = JSON.parse(/BENCH (.*)/.exec(started.stderr)![1]!) as { ms: number; cpuMs: number; maxRssMb: number };
console.log('| format | tracked users | scans | state file | output | wall time | CPU time | peak RSS |');
console.log('|---|---|---|---|---|---|---|---|');
console.error(
  `mfa-bot --version alone: ${(floor.ms / 1000).toFixed(2)} s wall, ${(floor.cpuMs / 1000).toFixed(2)} s CPU, ` +
    `${floor.maxRssMb.toFixed(0)} MB peak RSS`,
);
for (const r of rows) {
  console.log(
    `| ${r.format} | ${users.toLocaleString('en-US')} | ${scans} | ${fileMb.toFixed(1)} MB | ` +
      `${r.outputMb < 0.1 ? `${(r.outputMb * 1024).toFixed(1)} KB` : `${r.outputMb.toFixed(1)} MB`} | ` +
      `${(r.ms / 1000).toFixed(2)} s | ${(r.cpuMs / 1000).toFixed(2)} s | ${r.maxRssMb.toFixed(0)} MB |`,
  );
}
