// npm run bench: the credential-report scan against a per-user scanner on the same emulator.
// Usage: npm run bench -- [users=10000] [concurrency=10]
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetLoginProfileCommand, IAMClient, ListMFADevicesCommand, paginateListUsers } from '@aws-sdk/client-iam';
import { createAwsClients } from '../src/aws/clients.js';
import { parseConfig } from '../src/config/load.js';
import { scanCurrentAccount } from '../src/jobs/scan.js';
import { mapLimit } from '../src/util/map-limit.js';
import { startMoto } from '../test/support/moto/index.js';
import { motoClientConfig } from '../test/support/aws.js';

const exec = promisify(execFile);
const users = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 10);

const sum = (calls: Record<string, number> = {}) => Object.values(calls).reduce((a, b) => a + b, 0);

const moto = await startMoto();
try {
  const seedStart = performance.now();
  const seeded = await moto.seedUsers({ count: users, consoleShare: 0.5, mfaShare: 0.5 });
  console.error(
    `seeded ${seeded.users} users (${seeded.console} with a console password, ${seeded.mfa} ` +
      `of those with MFA) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  // The scan: the real CLI (built by `npm run build`), in a process of its own so its peak memory is its own.
  await moto.resetCalls();
  const child = await exec(
    process.execPath,
    ['--require', './bench/report-rss.cjs', 'bin/mfa-bot.js', 'scan', '--format', 'json'],
    {
      env: { ...process.env, ...moto.env },
      maxBuffer: 1 << 30,
    },
  ).catch((e: { code?: number; stdout: string; stderr: string }) => {
    if (e.code !== 1) throw new Error(`scan failed: ${e.stderr}`);
    return e;
  });
  const measured = JSON.parse(/BENCH (.*)/.exec(child.stderr)![1]!) as { ms: number; maxRssMb: number };
  const doc = JSON.parse(child.stdout) as {
    accounts: Array<{ error?: unknown }>;
    findings: Array<{ check: string; status: string }>;
  };
  if (doc.accounts[0]!.error) throw new Error(`scan failed: ${JSON.stringify(doc.accounts[0]!.error)}`);
  const scan = {
    ...measured,
    failing: doc.findings.filter((f) => f.check === 'user-console-mfa' && (f.status === 'fail' || f.status === 'grace'))
      .length,
  };
  const scanCalls = (await moto.calls()).iam ?? {};

  // The same scan in this process, for a like-for-like time against the baseline (no process start-up).
  Object.assign(process.env, moto.env);
  const inStart = performance.now();
  await scanCurrentAccount(createAwsClients(), parseConfig({}), { polling: { initialDelayMs: 500 } });
  const inProcessMs = performance.now() - inStart;

  // The same again with the first 3 calls of every IAM action the scan makes throttled (moto's failure injection).
  const actions = Object.keys(scanCalls);
  for (const action of actions)
    await moto.failNext(action, { service: 'iam', code: 'Throttling', count: 3, message: 'Rate exceeded' });
  await moto.resetCalls();
  const throttledStart = performance.now();
  const throttled = await scanCurrentAccount(createAwsClients(), parseConfig({}), { polling: { initialDelayMs: 500 } });
  const throttledMs = performance.now() - throttledStart;
  if (throttled.accounts[0]!.error)
    throw new Error(`throttled scan failed: ${JSON.stringify(throttled.accounts[0]!.error)}`);
  const throttledCalls = (await moto.calls()).iam ?? {};

  // The per-user baseline: ListUsers, then GetLoginProfile and ListMFADevices for every user.
  await moto.resetCalls();
  const iam = new IAMClient(motoClientConfig(moto, { maxAttempts: 8 }));
  const baseStart = performance.now();
  const names: string[] = [];
  for await (const page of paginateListUsers({ client: iam }, {}))
    names.push(...(page.Users ?? []).map((u) => u.UserName!));
  let consoleWithoutMfa = 0;
  await mapLimit(names, concurrency, async (name) => {
    const hasPassword = await iam.send(new GetLoginProfileCommand({ UserName: name })).then(
      () => true,
      (e: Error) => {
        if (e.name === 'NoSuchEntityException') return false;
        throw e;
      },
    );
    const { MFADevices = [] } = await iam.send(new ListMFADevicesCommand({ UserName: name }));
    if (hasPassword && MFADevices.length === 0) consoleWithoutMfa++;
  });
  const baseMs = performance.now() - baseStart;
  const baseCalls = (await moto.calls()).iam ?? {};

  console.log(`\nusers: ${users}; console users without MFA: scan ${scan.failing}, baseline ${consoleWithoutMfa}`);
  console.log('| method | IAM calls | wall time | peak memory (RSS) |');
  console.log('|---|---|---|---|');
  console.log(
    `| mfa-bot scan --format json (whole process) | ${sum(scanCalls)} (${Object.entries(scanCalls)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}) | ${(scan.ms / 1000).toFixed(2)} s | ${scan.maxRssMb.toFixed(0)} MB |`,
  );
  console.log(
    `| scan in-process (same code, no process start-up) | same | ${(inProcessMs / 1000).toFixed(2)} s | n/a |`,
  );
  console.log(
    '| scan in-process, first 3 calls of each IAM action throttled | ' +
      `${sum(throttledCalls)} | ${(throttledMs / 1000).toFixed(2)} s | n/a |`,
  );
  console.log(
    `| per-user baseline (concurrency ${concurrency}) | ${sum(baseCalls)} | ${(baseMs / 1000).toFixed(2)} s | n/a |`,
  );
  console.log(
    `\nthrottled / unthrottled in-process: ${(throttledMs / inProcessMs).toFixed(1)}x ` +
      `(${actions.join(', ')} throttled 3 times each)`,
  );
  console.log(
    `speed-up: ${(baseMs / inProcessMs).toFixed(1)}x in-process, ` +
      `${(baseMs / scan.ms).toFixed(1)}x counting the CLI's process start-up`,
  );
} finally {
  await moto.stop();
}
