// npm run bench:ack: how fast `mfa-bot serve` acknowledges /mfa-check over HTTP on loopback (signed requests, the
// answer from the latest scan), and how long a `--fresh` single-user check takes to its full answer.
// Usage: npm run bench:ack -- [requests=1000] [freshRuns=50]
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { startServer } from '../src/cli/serve-command.js';
import { parseConfig } from '../src/config/load.js';
import { silentLog } from '../src/bot/logger.js';
import { slashCommand } from '../test/bot/harness/payloads.js';
import { ResponseCatcher } from '../test/bot/harness/response-catcher.js';
import { signedPost } from '../test/bot/harness/sign.js';
import { createUsers, motoClients } from '../test/support/aws.js';
import { startFakeSlack } from '../test/support/fake-slack/index.js';
import { startMoto } from '../test/support/moto/index.js';

const requests = Number(process.argv[2] ?? 1000);
const freshRuns = Number(process.argv[3] ?? 50);
const SECRET = 'bench-signing-secret';
const ANN = 'UANN0000001';
const ADMIN = 'UADMIN00001';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

const [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
const responses = new ResponseCatcher();
await responses.start();
try {
  slack.addUser({ id: ANN, name: 'ann', email: 'ann@example.com' });
  slack.addUser({ id: ADMIN, name: 'admin', email: 'admin@example.com' });
  const aws = motoClients(moto);
  // An account of realistic size, so answers are built from a real scan: 500 console users, half without MFA.
  await moto.seedUsers({ count: 500, consoleShare: 1, mfaShare: 0.5 });
  await createUsers(aws.iam, [
    { name: 'ann.smith', password: true, tags: { email: 'ann@example.com' } },
    { name: 'ann.ops', password: true, mfa: 'virtual', tags: { slack: ANN } },
  ]);
  const server = await startServer({
    config: parseConfig({ checks: { gracePeriodDays: 0 }, slack: { admins: [ADMIN] } }),
    env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url, SLACK_SIGNING_SECRET: SECRET, PORT: '0' },
    log: silentLog,
    aws,
    host: '127.0.0.1',
  });
  await server.firstScan;
  const url = `http://127.0.0.1:${server.port}/slack/events`;
  const send = (text: string, user: string, id: string) =>
    signedPost(url, SECRET, { form: slashCommand(text, user, responses.url(id)) });

  for (let i = 0; i < 50; i++) await (await send('', ANN, `warm-${i}`)).arrayBuffer();
  await responses.waitFor('warm-49');

  const acks: number[] = [];
  const answered: number[] = [];
  const sentAt = new Map<string, number>();
  for (let i = 0; i < requests; i++) {
    const id = `ack-${i}`;
    const t0 = performance.now();
    sentAt.set(id, Date.now());
    const res = await send('', ANN, id);
    await res.arrayBuffer();
    acks.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`request ${i} answered ${res.status}`);
  }
  for (let i = 0; i < requests; i++) {
    const [r] = await responses.waitFor(`ack-${i}`);
    answered.push(r!.at - sentAt.get(`ack-${i}`)!);
  }
  acks.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);

  const fresh: number[] = [];
  for (let i = 0; i < freshRuns; i++) {
    const id = `fresh-${i}`;
    const t0 = performance.now();
    await (await send('user ann.smith --fresh', ADMIN, id)).arrayBuffer();
    await responses.waitFor(id);
    fresh.push(performance.now() - t0);
  }
  fresh.sort((a, b) => a - b);
  const iamCalls = await moto.calls();
  await server.stop();

  console.log(`| measurement | runs | p50 | p99 | max |`);
  console.log(`|---|---|---|---|---|`);
  console.log(
    `| /mfa-check acknowledgement (HTTP 200), from the latest scan | ${requests} | ` +
      `${ms(percentile(acks, 50))} | ${ms(percentile(acks, 99))} | ${ms(acks.at(-1)!)} |`,
  );
  console.log(
    `| the same requests: full answer at the response URL | ${requests} | ` +
      `${Math.round(percentile(answered, 50))} ms | ${Math.round(percentile(answered, 99))} ms | ` +
      `${Math.round(answered.at(-1)!)} ms |`,
  );
  console.log(
    `| \`user ann.smith --fresh\`: request to full answer (3 IAM calls) | ${freshRuns} | ` +
      `${ms(percentile(fresh, 50))} | ${ms(percentile(fresh, 99))} | ${ms(fresh.at(-1)!)} |`,
  );
  console.log('');
  const liveCheckCalls = {
    GetUser: iamCalls.iam?.GetUser ?? 0,
    GetLoginProfile: iamCalls.iam?.GetLoginProfile ?? 0,
    ListMFADevices: iamCalls.iam?.ListMFADevices ?? 0,
  };
  console.log(
    `Target: acknowledgement p99 < 200 ms: ${percentile(acks, 99) < 200 ? 'met' : 'MISSED'}. ` +
      'Account: 502 IAM users; AWS emulator (moto) on loopback. IAM calls by the live checks: ' +
      `${JSON.stringify(liveCheckCalls)}.`,
  );
} finally {
  await Promise.all([moto.stop(), slack.stop(), responses.stop()]);
}
