// npm run bench:slack: one `mfa-bot run --once` that DMs N failing users mapped by e-mail tags, against the fake
// Slack server with its default (Slack-like) rate limits. Usage: npm run bench:slack -- [users=1000]
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMotoEnv } from '../test/support/aws.js';
import { runCli } from '../test/support/cli.js';
import { startFakeSlack } from '../test/support/fake-slack/index.js';
import { DEFAULT_POST_WORKSPACE, DEFAULT_TIERS } from '../test/support/fake-slack/rate-limiter.js';
import { startMoto } from '../test/support/moto/index.js';

const users = Number(process.argv[2] ?? 1000);
const [moto, slack] = await Promise.all([startMoto(), startFakeSlack()]);
try {
  useMotoEnv(moto);
  await moto.seedUsers({ count: users, consoleShare: 1, mfaShare: 0, tags: { email: '{name}@example.com' } });
  slack.addUsers(users, (i) => ({ name: `user${i}`, email: `user${String(i).padStart(5, '0')}@example.com`, tz: 'Europe/Berlin' }));
  slack.addChannel({ id: 'C0DIGEST001', name: 'security' });
  const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-bench-'));
  // Working hours around the clock, so the fan-out is measured whenever the benchmark runs; a fresh state file.
  const always = `workingHours: { start: '00:00', end: '24:00', days: [sun, mon, tue, wed, thu, fri, sat] }`;
  writeFileSync(join(dir, 'mfa-bot.yml'), `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: C0DIGEST001 }\nnudges: { enabled: true, ${always} }\nstate: { path: ${JSON.stringify(join(dir, 'state.db'))} }\n`);

  const started = performance.now();
  const r = await runCli(['run', '--once', '--config', join(dir, 'mfa-bot.yml')], { env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url }, now: new Date() });
  const seconds = (performance.now() - started) / 1000;
  // 1: delivered, and (as here) people are failing.
  if (r.code !== 0 && r.code !== 1) throw new Error(`run failed (${r.code}): ${r.stderr}`);

  const dms = slack.messages().filter((m) => m.channelKind === 'im').length;
  const posts = slack.countCalls('chat.postMessage');
  const pages = slack.countCalls('users.list');
  // The floor the limits impose: chat.postMessage's workspace bucket starts full, then refills at its rate;
  // users.list pages fit in Tier 2's burst. Every DM is its own channel, so the per-channel limit never binds.
  const messages = dms + slack.messages({ channel: 'C0DIGEST001' }).length;
  const w = DEFAULT_POST_WORKSPACE;
  const floor = Math.max(0, messages - (w.burst ?? w.limit)) / (w.limit / w.windowMs) / 1000 + Math.max(0, pages - DEFAULT_TIERS[2].limit) * (DEFAULT_TIERS[2].windowMs / DEFAULT_TIERS[2].limit) / 1000;
  console.log(`| users | Slack calls | users.list pages | chat.postMessage (429s) | users.lookupByEmail | DMs delivered | lost | wall time | floor | ratio |`);
  console.log(`|---|---|---|---|---|---|---|---|---|---|`);
  console.log(
    `| ${users} | ${slack.countCalls()} | ${pages} | ${posts} (${slack.rateLimitedCount('chat.postMessage')}) | ${slack.countCalls('users.lookupByEmail')} | ${dms} | ${users - dms} | ${seconds.toFixed(1)} s | ${floor.toFixed(1)} s | ${(seconds / floor).toFixed(2)} |`,
  );
} finally {
  await Promise.all([moto.stop(), slack.stop()]);
}
