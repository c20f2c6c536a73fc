// npm run bench:slack: `mfa-bot run --once` DMing N failing users (mapped by e-mail tags) against the fake Slack,
// in three cases, each with its floor. Usage: npm run bench:slack -- [users=1000] [cases=abc]
//   0  no limits and no faults: the bot's own cost per message (the baseline of case b)
//   a  the workspace cap alone (chat.postMessage 300 a minute, the fake's default), every DM its own channel
//   b  per-channel 429s alone: the first post to every channel refused once (Retry-After: 1), no workspace cap
//   c  both, plus random faults on 2% of posts: 503s and dropped connections, before or after Slack posted;
//      what a fault left unknown is settled by a second run after the claim lease (recovery asks Slack)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLAIM_LEASE_MS } from '../src/jobs/recover-claims.js';
import { useMotoEnv } from '../test/support/aws.js';
import { runCli } from '../test/support/cli.js';
import { DEFAULT_POST_WORKSPACE, startFakeSlack, type FakeSlack } from '../test/support/fake-slack/index.js';
import type { RateLimitOptions, RateRule } from '../test/support/fake-slack/types.js';
import { startMoto } from '../test/support/moto/index.js';

const users = Number(process.argv[2] ?? 1000);
// Case 0 first: its fan-out is part of the other floors.
const cases = process.argv[3] ?? '0abc';
const RETRY_AFTER_S = 1;
const NO_CAP: RateRule = { limit: 1_000_000, windowMs: 1_000 };

interface Case {
  name: string;
  rateLimits: false | RateLimitOptions;
  perChannel429: boolean;
  faults: boolean;
}

const CASES: Record<string, Case> = {
  '0': { name: '0: no limits, no faults', rateLimits: false, perChannel429: false, faults: false },
  a: { name: 'a: workspace cap alone', rateLimits: {}, perChannel429: false, faults: false },
  b: {
    name: 'b: per-channel 429s alone',
    rateLimits: { postMessageWorkspace: NO_CAP },
    perChannel429: true,
    faults: false,
  },
  c: { name: 'c: both, plus 5xx and dropped connections', rateLimits: {}, perChannel429: true, faults: true },
};

const moto = await startMoto();
useMotoEnv(moto);
await moto.seedUsers({ count: users, consoleShare: 1, mfaShare: 0, tags: { email: '{name}@example.com' } });

async function runCase(c: Case): Promise<{
  fanOut: number;
  posts: number;
  refused: number;
  messages: number;
  lost: number;
  doubled: number;
  faults?: string;
  recovered: string;
}> {
  const slack: FakeSlack = await startFakeSlack(
    c.rateLimits === false ? { rateLimits: false } : { rateLimits: c.rateLimits },
  );
  try {
    slack.addUsers(users, (i) => ({
      name: `user${i}`,
      email: `user${String(i).padStart(5, '0')}@example.com`,
      tz: 'Europe/Berlin',
    }));
    slack.addChannel({ id: 'C0DIGEST001', name: 'security' });
    if (c.perChannel429) slack.refuseFirstPostPerChannel(RETRY_AFTER_S);
    const faults = c.faults ? slack.setRandomFaults({ probability: 0.02, seed: 7 }) : undefined;
    const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-bench-'));
    // Working hours around the clock, so the fan-out is measured whenever the benchmark runs; a fresh state file.
    const always = `workingHours: { start: '00:00', end: '24:00', days: [sun, mon, tue, wed, thu, fri, sat] }`;
    writeFileSync(
      join(dir, 'mfa-bot.yml'),
      `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: C0DIGEST001 }\n` +
        `nudges: { enabled: true, ${always} }\nstate: { path: ${JSON.stringify(join(dir, 'state.db'))} }\n`,
    );
    const run = (now: Date) =>
      runCli(['run', '--once', '--config', join(dir, 'mfa-bot.yml')], {
        env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url },
        now,
      });

    const now = new Date();
    const first = await run(now);
    if (first.code !== 0 && first.code !== 1 && !c.faults)
      throw new Error(`run failed (${first.code}): ${first.stderr}`);
    // The fan-out: from the first chat.postMessage request to the last one Slack accepted (the fake's clock).
    const posts = slack.calls('chat.postMessage');
    const accepted = posts.filter((p) => p.ok);
    const fanOut = (accepted.at(-1)!.time - posts[0]!.time) / 1000;
    const messages = accepted.length;
    let recovered = '';
    if (c.faults) {
      slack.setRandomFaults(undefined);
      const second = await run(new Date(now.getTime() + CLAIM_LEASE_MS + 60_000));
      const found = (second.stderr.match(/it had been sent; recorded now/g) ?? []).length;
      const resent = (second.stderr.match(/it had not been sent; sending it again/g) ?? []).length;
      recovered = `second run after the lease: ${found} found in Slack, ${resent} sent again`;
    }
    const counts = Array.from(
      { length: users },
      (_, i) =>
        slack.dmsTo(slack.workspace.findUserByEmail(`user${String(i).padStart(5, '0')}@example.com`)?.id ?? '').length,
    );
    return {
      fanOut,
      posts: posts.length,
      refused: slack.rateLimitedCount('chat.postMessage'),
      messages,
      lost: counts.filter((n) => n === 0).length,
      // The digest's CSV attachment is a reply in its thread, not a second digest.
      doubled:
        counts.filter((n) => n > 1).length +
        Math.max(0, slack.messages({ channel: 'C0DIGEST001' }).filter((m) => !m.thread_ts).length - 1),
      ...(faults
        ? {
            faults: Object.entries(faults.counts)
              .map(([k, v]) => `${k} ${v}`)
              .join(', '),
          }
        : {}),
      recovered,
    };
  } finally {
    await slack.stop();
  }
}

/**
 * Floors. The bot's own cost (claims and sends with no limit at all) is case 0's fan-out, T0.
 * - a: the workspace bucket starts full (burst = limit) and refills at limit per window, so M accepted posts
 *   take at least (M - burst) / rate: floor = max(that, T0);
 * - b: a refused channel's post lands Retry-After after its first try at the earliest: floor = T0 + Retry-After;
 * - c: floor = max((M - burst) / rate, T0 + Retry-After).
 */
function floorOf(key: string, messages: number, t0: number): number {
  const w = DEFAULT_POST_WORKSPACE;
  const cap = Math.max(0, messages - (w.burst ?? w.limit)) / (w.limit / w.windowMs) / 1000;
  if (key === 'a') return Math.max(cap, t0);
  if (key === 'b') return t0 + RETRY_AFTER_S;
  if (key === 'c') return Math.max(cap, t0 + RETRY_AFTER_S);
  return t0;
}

try {
  console.log(`| case | users | posts (429s) | accepted | lost | doubled | fan-out | floor | ratio |`);
  console.log(`|---|---|---|---|---|---|---|---|---|`);
  let baseline: number | undefined;
  const notes: string[] = [];
  for (const key of cases) {
    const c = CASES[key];
    if (!c) throw new Error(`unknown case ${key}: use 0, a, b, c`);
    const r = await runCase(c);
    if (key === '0') baseline = r.fanOut;
    const floor = floorOf(key, r.messages, baseline ?? 0);
    const ratio = floor > 0 ? (r.fanOut / floor).toFixed(2) : '–';
    console.log(
      `| ${c.name} | ${users} | ${r.posts} (${r.refused}) | ${r.messages} | ${r.lost} | ${r.doubled} | ` +
        `${r.fanOut.toFixed(1)} s | ${floor.toFixed(1)} s | ${ratio} |`,
    );
    if (r.faults) notes.push(`case ${key} faults: ${r.faults}; ${r.recovered}`);
  }
  for (const n of notes) console.log(n);
} finally {
  await moto.stop();
}
