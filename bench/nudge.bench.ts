// npm run bench:nudge: one nudge pass over N tracked users (default 10,000) with S scans of history (default 14),
// on a state file built by running the same passes day by day. Slack is a no-op stand-in: this measures the
// planning and the ledger, not Slack's rate limits (bench/slack.bench.ts does those).
// Usage: npm run bench:nudge -- [users=10000] [scans=14]
import { execFile } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseConfig } from '../src/config/load.js';
import { verdictOf } from '../src/domain/checks/check.js';
import { rootMfa } from '../src/domain/checks/root-mfa.js';
import { userConsoleMfa } from '../src/domain/checks/user-console-mfa.js';
import { identityKey, type SlackIdentity } from '../src/domain/identity.js';
import { ROOT_PRINCIPAL, type AccountResult, type ScanResult } from '../src/domain/types.js';
import { runNudgePass, type NudgePassResult } from '../src/jobs/nudge-pass.js';
import type { SlackApi } from '../src/slack/api.js';
import { SqliteStateStore } from '../src/store/sqlite/sqlite-store.js';

const DAY = 86_400_000;
/** A Monday. */
const START = Date.parse('2026-11-02T10:00:00Z');
const ACCOUNTS = 10;
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Europe/London',
];
const config = (path: string) =>
  parseConfig({ slack: { digestChannel: 'C0DIGEST001' }, nudges: { enabled: true }, state: { path } });

/** Answers like Slack at once: what is measured is mfa-bot's own work. */
function noopSlack(): SlackApi {
  let n = 0;
  const ts = () => `${1_800_000_000 + ++n}.000100`;
  return {
    postMessage: async (a: { channel: string }) => ({
      ok: true,
      channel: a.channel.startsWith('U') ? `D${a.channel.slice(1)}` : a.channel,
      ts: ts(),
    }),
    update: async (a: { channel: string; ts: string }) => ({ ok: true, channel: a.channel, ts: a.ts }),
    conversationsOpen: async (u: string) => ({ ok: true, channel: { id: `D${u.slice(1)}` } }),
    conversationsHistory: async () => ({ ok: true, messages: [], has_more: false }),
    uploadFile: async () => ({ ok: true }),
    authTest: async () => ({ ok: true }),
  } as unknown as SlackApi;
}

const userName = (i: number) => `user-${String(i).padStart(5, '0')}`;
const accountOf = (i: number) => String(100000000000 + (i % ACCOUNTS));

/** Who fails on day d: user i from day i % 7; every third user turns MFA on at day 7 + i % 6. */
function scanOfDay(users: number, d: number): ScanResult {
  const at = new Date(START + d * DAY - 3_600_000);
  const accounts: AccountResult[] = Array.from({ length: ACCOUNTS }, (_, a) => ({
    accountId: accountOf(a),
    partition: 'aws',
    alias: `team-${a}`,
    credentialReportGeneratedAt: at,
    rootMfa: 'hardware',
    rootCredentialsPresent: true,
    verdicts: [
      verdictOf(
        rootMfa,
        { accountId: accountOf(a) },
        ROOT_PRINCIPAL,
        `arn:aws:iam::${accountOf(a)}:root`,
        'pass',
        'The root user has MFA.',
      ),
    ],
  }));
  for (let i = 0; i < users; i++) {
    const fixed = i % 3 === 0 && d >= 7 + (i % 6);
    const failing = d >= i % 7 && !fixed;
    const accountId = accountOf(i);
    const v = failing
      ? verdictOf(
          userConsoleMfa,
          { accountId },
          userName(i),
          `arn:aws:iam::${accountId}:user/${userName(i)}`,
          'fail',
          'Console password without MFA: the password alone opens this login.',
        )
      : verdictOf(
          userConsoleMfa,
          { accountId },
          userName(i),
          `arn:aws:iam::${accountId}:user/${userName(i)}`,
          'pass',
          'Console password with MFA enabled.',
        );
    accounts[i % ACCOUNTS]!.verdicts.push(v);
  }
  return { generatedAt: at, accounts };
}

function identitiesFor(users: number): Map<string, SlackIdentity> {
  return new Map(
    Array.from({ length: users }, (_, i) => [
      identityKey(accountOf(i), userName(i)),
      { slackUserId: `U${String(i).padStart(9, '0')}`, via: 'email-tag' as const, tz: ZONES[i % ZONES.length]! },
    ]),
  );
}

async function pass(path: string, now: number): Promise<NudgePassResult> {
  const store = SqliteStateStore.open(path, { now: new Date(now) });
  try {
    return await runNudgePass({ store, slack: noopSlack(), config: config(path), now: () => new Date(now) });
  } finally {
    await store.close();
  }
}

if (process.argv[2] === '--pass') {
  // The measured pass, in a process of its own so its peak memory is its own.
  const [path, now] = [process.argv[3]!, Number(process.argv[4])];
  const started = performance.now();
  const r = await pass(path, now);
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
const identities = identitiesFor(users);

const setupStart = performance.now();
let history = 0;
for (let d = 0; d < scans; d++) {
  const store = SqliteStateStore.open(path);
  await store.saveScan(scanOfDay(users, d), identities);
  await store.close();
  // Two passes a day (10:00 and 20:00 UTC) reach people in every zone's working hours.
  for (const hour of [0, 10])
    history += (await pass(path, START + d * DAY + hour * 3_600_000)).outcome?.messages.length ?? 0;
}
console.error(
  `built ${scans} scans and ${history.toLocaleString('en-US')} ledger messages for ` +
    `${users.toLocaleString('en-US')} users in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
);

const size = (p: string) => {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
};
const fileMb = (size(path) + size(`${path}-wal`)) / 1024 / 1024;
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
const fileBytes = size(path) + size(`${path}-wal`);
console.log(
  `\nPruning to the latest 2 scans dropped the verdicts of ${pruned} scans in ${(pruneMs / 1000).toFixed(2)} ` +
    `s: live data ${((fileBytes - freeBytes) / 1024 / 1024).toFixed(1)} MB of a ` +
    `${(fileBytes / 1024 / 1024).toFixed(1)} MB file (${(freeBytes / 1024 / 1024).toFixed(1)} MB free for ` +
    'the next scans).',
);
