// npm run bench:nudge: one nudge pass over N tracked users (default 10,000) with S scans of history (default 14),
// on a state file built by running the same passes day by day. Slack is a no-op stand-in: this measures the
// planning and the ledger, not Slack's rate limits (bench/slack.bench.ts does those).
// Usage: npm run bench:nudge -- [users=10000] [scans=14]
import { execFile } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SqliteStateStore } from '../src/store/sqlite/sqlite-store.js';
import {
  buildNudgeState,
  DAY,
  everyThirdFixesInTheSecondWeek,
  nudgePass,
  START,
  stateFileBytes,
} from './nudge-state.js';

if (process.argv[2] === '--pass') {
  // The measured pass, in a process of its own so its peak memory is its own.
  const [path, now] = [process.argv[3]!, Number(process.argv[4])];
  const started = performance.now();
  const r = await nudgePass(path, now);
  const ms = performance.now() - started;
  const sent = r.outcome?.messages.filter((m) => m.status === 'sent').length ?? 0;
  const kinds: Record<string, number> = {};
  for (const m of r.outcome?.messages ?? []) kinds[m.message.kind] = (kinds[m.message.kind] ?? 0) + 1;
  process.stdout.write(
    JSON.stringify({
      ms,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      sent,
      kinds,
      waiting: r.plan?.waiting.length ?? 0,
    }),
  );
  process.exit(0);
}

const users = Number(process.argv[2] ?? 10_000);
const scans = Number(process.argv[3] ?? 14);
const path = join(mkdtempSync(join(tmpdir(), 'mfa-bench-nudge-')), 'state.db');

const setupStart = performance.now();
const history = await buildNudgeState(path, { users, scans, fixDay: everyThirdFixesInTheSecondWeek });
console.error(
  `built ${scans} scans and ${history.toLocaleString('en-US')} ledger messages for ` +
    `${users.toLocaleString('en-US')} users in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
);

const fileMb = stateFileBytes(path) / 1024 / 1024;
const run = async (now: number) => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'bench/nudge.bench.ts', '--pass', path, String(now)],
    { maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout) as {
    ms: number;
    maxRssMb: number;
    sent: number;
    kinds: Record<string, number>;
    waiting: number;
  };
};
// Day `scans` at 10:00 UTC: reminders, escalations and thank-yous fall due; then the same pass again, with nothing left
// to send.
const due = await run(START + scans * DAY);
const again = await run(START + scans * DAY + 60_000);

const tracked = users.toLocaleString('en-US');
console.log('| tracked users | scans stored | state file | pass | messages sent | waiting | wall time | peak RSS |');
console.log('|---|---|---|---|---|---|---|---|');
const row = (label: string, r: typeof due) =>
  console.log(
    `| ${tracked} | ${scans} | ${fileMb.toFixed(1)} MB | ${label} | ${r.sent.toLocaleString('en-US')}${
      r.sent
        ? ` (${Object.entries(r.kinds)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ')})`
        : ''
    } | ${r.waiting.toLocaleString('en-US')} | ${(r.ms / 1000).toFixed(2)} s | ${r.maxRssMb.toFixed(0)} MB |`,
  );
row('due work', due);
row('nothing due (rerun)', again);

// state.keepScans: old scans keep their per-account counts and lose their verdicts. SQLite does not shrink
// the file; it reuses the freed pages for the next scans, so the live data is what stops growing.
const pruning = SqliteStateStore.open(path);
const pruneStart = performance.now();
const pruned = await pruning.pruneScans(2);
const pruneMs = performance.now() - pruneStart;
await pruning.close();
const db = new Database(path, { readonly: true });
const freeBytes =
  Number(db.pragma('freelist_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));
db.close();
const fileBytes = stateFileBytes(path);
console.log(
  `\nPruning to the latest 2 scans dropped the verdicts of ${pruned} scans in ${(pruneMs / 1000).toFixed(2)} ` +
    `s: live data ${((fileBytes - freeBytes) / 1024 / 1024).toFixed(1)} MB of a ` +
    `${(fileBytes / 1024 / 1024).toFixed(1)} MB file (${(freeBytes / 1024 / 1024).toFixed(1)} MB free for ` +
    'the next scans).',
);
