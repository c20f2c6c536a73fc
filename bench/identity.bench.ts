// npm run bench:identity: N failing IAM users tagged with e-mail addresses the Slack workspace does not have
// (one of them a deactivated member's), two `mfa-bot run --once` cycles an hour apart on one state file, against
// the fake Slack server. Counts the Slack calls per cycle, users.lookupByEmail above all (Tier 3, about 50 a
// minute), when users.list is read to the end and when it fails (then lookups are all that is left).
// Usage: npm run bench:identity -- [people=1000] [--no-rate-limits]
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMotoEnv } from '../test/support/aws.js';
import { runCli } from '../test/support/cli.js';
import { startFakeSlack } from '../test/support/fake-slack/index.js';
import { DEFAULT_TIERS } from '../test/support/fake-slack/rate-limiter.js';
import { startMoto } from '../test/support/moto/index.js';

const args = process.argv.slice(2);
const people = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000);
const rateLimits = !args.includes('--no-rate-limits');
const CHANNEL = 'C0DIGEST001';
const HOUR = 3_600_000;
const tier3PerMinute = DEFAULT_TIERS[3].limit / (DEFAULT_TIERS[3].windowMs / 60_000);

const [moto, slack] = await Promise.all([startMoto(), startFakeSlack(rateLimits ? {} : { rateLimits: false })]);
const rows: string[] = [];
try {
  useMotoEnv(moto);
  await moto.seedUsers({ count: people, consoleShare: 1, mfaShare: 0, tags: { email: '{name}@elsewhere.example' } });
  slack.addUsers(20, (i) => ({ name: `member${i}`, email: `member${i}@example.com` }));
  // users.list lists deactivated members too: this one was looked up again on every cycle before.
  slack.addUser({ name: 'left', email: 'user00000@elsewhere.example', deleted: true });
  slack.addChannel({ id: CHANNEL, name: 'security' });

  for (const scenario of ['users.list read to the end', 'users.list fails every cycle'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-identity-bench-'));
    const always = `workingHours: { start: '00:00', end: '24:00', days: [sun, mon, tue, wed, thu, fri, sat] }`;
    writeFileSync(
      join(dir, 'mfa-bot.yml'),
      `checks: { gracePeriodDays: 0 }\nslack: { digestChannel: ${CHANNEL} }\nnudges: { ` +
        `enabled: true, ${always} }\nstate: { path: ${JSON.stringify(join(dir, 'state.db'))} }\n` +
        // Counts identity calls: the weekly chart's upload (3 calls in the first cycle) is not part of that.
        'digest: { chart: off }\n',
    );
    const start = new Date();
    for (let cycle = 1; cycle <= 2; cycle++) {
      slack.reset();
      if (scenario === 'users.list fails every cycle') slack.failNext('users.list', 'internal_error');
      const started = performance.now();
      const r = await runCli(['run', '--once', '--config', join(dir, 'mfa-bot.yml')], {
        env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url },
        now: new Date(start.getTime() + (cycle - 1) * HOUR),
      });
      const seconds = (performance.now() - started) / 1000;
      if (r.code !== 0 && r.code !== 1) throw new Error(`run failed (${r.code}): ${r.stderr}`);
      const lookups = slack.countCalls('users.lookupByEmail');
      rows.push(
        `| ${scenario} | ${cycle} | ${slack.countCalls()} | ${slack.countCalls('users.list')} | ${lookups} | ` +
          `${slack.rateLimitedCount()} | ${(lookups / tier3PerMinute).toFixed(1)} min | ${seconds.toFixed(1)} s ` +
          '|',
      );
    }
  }
  console.log(
    `${people} failing IAM users, none of them in Slack; fake Slack rate limits ${rateLimits ? 'on' : 'off'}.`,
  );
  console.log(
    '| users.list | cycle | Slack calls | users.list calls | ' +
      'users.lookupByEmail | 429s | lookups at Tier 3 (50/min) | wall time |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
} finally {
  await Promise.all([moto.stop(), slack.stop()]);
}
