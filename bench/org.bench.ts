// npm run bench:org: an organization of N member accounts with M users each, scanned with the default
// concurrency and one account at a time, then with the default concurrency again while every fourth account
// throttles the first 3 calls of each IAM action the scan makes. Usage: npm run bench:org -- [accounts=200] [users=200]
// [concurrency=10]
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { CreateAccountCommand, CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import { createOrganizationsClient } from '../src/aws/organization.js';
import { parseConfig } from '../src/config/load.js';
import { scanOrganization } from '../src/jobs/org-scan.js';
import { motoClients, motoClientConfig } from '../test/support/aws.js';
import { startMoto } from '../test/support/moto/index.js';

const accounts = Number(process.argv[2] ?? 200);
const users = Number(process.argv[3] ?? 200);
const concurrency = Number(process.argv[4] ?? 10);
const moto = await startMoto();
const sum = (calls: Record<string, number> = {}) => Object.values(calls).reduce((a, b) => a + b, 0);
try {
  const aws = motoClientConfig(moto, { maxAttempts: 8 });
  const org = createOrganizationsClient(aws);
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const ids: string[] = [];
  for (let i = 0; i < accounts; i++) {
    const r = await org.send(
      new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }),
    );
    ids.push(r.CreateAccountStatus!.AccountId!);
  }
  for (const accountId of ids) await moto.seedUsers({ accountId, count: users, consoleShare: 0.5, mfaShare: 0.5 });
  console.error(`organization: ${accounts} members with ${users} users each`);

  const config = parseConfig({});
  const rows: string[] = [];
  let parallelMs = 0;
  let serialMs = 0;
  let throttledMs = 0;
  const throttledAccounts = ids.filter((_, i) => i % 4 === 0);
  const SCAN_ACTIONS = [
    'GenerateCredentialReport',
    'GetCredentialReport',
    'GetAccountSummary',
    'ListVirtualMFADevices',
    'ListAccountAliases',
  ];
  for (const [c, throttle] of [
    [concurrency, false],
    [1, false],
    [concurrency, true],
  ] as const) {
    // Cold start for both runs: no account has a credential report yet, so each waits for one to be generated.
    for (const accountId of [...ids, '123456789012']) await moto.setReport(accountId, { notPresent: true });
    if (throttle) {
      for (const accountId of throttledAccounts) {
        for (const action of SCAN_ACTIONS)
          await moto.failNext(action, {
            service: 'iam',
            accountId,
            code: 'Throttling',
            count: 3,
            message: 'Rate exceeded',
          });
      }
    }
    await moto.resetCalls();
    const started = performance.now();
    const result = await scanOrganization(
      motoClients(moto, { maxAttempts: 8 }),
      org,
      config,
      { roleName: 'MfaBotAudit', concurrency: c, accountTimeoutSeconds: 300 },
      { aws },
    );
    const ms = performance.now() - started;
    if (throttle) throttledMs = ms;
    else if (c === 1) serialMs = ms;
    else parallelMs = ms;
    const errors = result.scan.accounts.filter((a) => a.error).length;
    const calls = await moto.calls();
    rows.push(
      `| ${c}${throttle ? `, ${throttledAccounts.length} accounts throttled` : ''} | ` +
        `${result.scan.accounts.length} (${errors} errors) | ${sum(calls.iam)} | ${sum(calls.sts)} ` +
        `| ${(ms / 1000).toFixed(1)} s | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB |`,
    );
  }
  console.log('| concurrency | accounts scanned | IAM calls | STS calls | wall time | peak RSS so far |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\nspeed-up with concurrency ${concurrency}: ${(serialMs / parallelMs).toFixed(1)}x`);
  console.log(`throttled / unthrottled (concurrency ${concurrency}): ${(throttledMs / parallelMs).toFixed(1)}x`);
} finally {
  await moto.stop();
}
