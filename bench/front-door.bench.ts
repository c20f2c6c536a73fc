// npm run bench:front-door: what unsigned bodies cost `mfa-bot serve` in memory. The bot runs in a child
// process (bench/front-door-server.ts); this one sends it N unsigned bodies of S MB at once, as an
// attacker who knows the URL could, and reads the child's resident set size before and after.
// Usage: npm run bench:front-door -- [bodies=100] [megabytes=4]
import { fork } from 'node:child_process';
import { request } from 'node:http';
import { startFakeSlack } from '../test/support/fake-slack/index.js';

const bodies = Number(process.argv[2] ?? 100);
const megabytes = Number(process.argv[3] ?? 4);

type Reply = { port?: number; rssMb?: number; maxRssMb?: number };

const slack = await startFakeSlack({ rateLimits: false });
const child = fork(new URL('./front-door-server.ts', import.meta.url).pathname, [slack.url, slack.botToken], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const next = () => new Promise<Reply>((resolve) => child.once('message', (m) => resolve(m as Reply)));
const rss = async () => {
  const reply = next();
  child.send('rss');
  return reply;
};

/**
 * One POST of `body` with well-formed but missing Slack headers, as a scanner would send it; resolves whatever happens.
 */
function unsignedPost(port: number, body: Buffer): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/slack/events',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    req.end(body);
  });
}

try {
  const { port } = await next();
  const body = Buffer.alloc(megabytes * 2 ** 20, '{');
  const before = await rss();
  const started = performance.now();
  const outcomes = await Promise.all(Array.from({ length: bodies }, () => unsignedPost(port!, body)));
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 500));
  const after = await rss();
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(String(o), (counts.get(String(o)) ?? 0) + 1);
  console.log(`| measurement | value |`);
  console.log(`|---|---|`);
  console.log(`| serve RSS before | ${before.rssMb!.toFixed(0)} MB |`);
  console.log(
    `| serve RSS after ${bodies} unsigned ${megabytes} MB bodies at once | ` +
      `${after.rssMb!.toFixed(0)} MB (peak ${after.maxRssMb!.toFixed(0)} MB) |`,
  );
  console.log(`| answers | ${[...counts].map(([k, v]) => `${v} × ${k}`).join(', ')} in ${ms.toFixed(0)} ms |`);
  const stopped = new Promise((r) => child.once('exit', r));
  child.send('stop');
  await stopped;
} finally {
  if (child.exitCode === null) child.kill();
  await slack.stop();
}
