import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { scanAccount } from '../../src/jobs/scan.js';
import { createUsers, motoClients } from '../support/aws.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();
const noWait = { sleep: async () => {}, initialDelayMs: 1, maxDelayMs: 1 };
const SCAN_ACTIONS = [
  'GenerateCredentialReport',
  'GetCredentialReport',
  'GetAccountSummary',
  'ListVirtualMFADevices',
  'ListAccountAliases',
];

describe('throttling', () => {
  it('retries a throttled call with short backoff: three throttles cost well under a second of waiting', async () => {
    const { iam } = motoClients(moto, { maxAttempts: 8 });
    await moto.failNext('GetAccountSummary', { code: 'Throttling', count: 3, message: 'Rate exceeded' });
    const out = await iam.send(new GetAccountSummaryCommand({}));
    expect(out.$metadata.attempts).toBe(4);
    // 100, 200 and 400 ms at most (equal jitter: at least half of each). The SDK's throttling backoff starts at 500 ms.
    expect(out.$metadata.totalRetryDelay).toBeGreaterThanOrEqual(350);
    expect(out.$metadata.totalRetryDelay).toBeLessThanOrEqual(700);
  });

  it('completes a scan whose first three calls of every IAM action are throttled', async () => {
    await createUsers(motoClients(moto).iam, [{ name: 'bob', password: true }]);
    for (const action of SCAN_ACTIONS)
      await moto.failNext(action, { code: 'Throttling', count: 3, message: 'Rate exceeded' });
    await moto.resetCalls();
    const result = await scanAccount(
      motoClients(moto, { maxAttempts: 8 }),
      parseConfig({ checks: { gracePeriodDays: 0 } }),
      { polling: noWait },
    );
    expect(result.error).toBeUndefined();
    expect(result.verdicts.find((v) => v.principal === 'bob')!.status).toBe('fail');
    const calls = (await moto.calls()).iam!;
    for (const action of SCAN_ACTIONS) expect(calls[action], action).toBeGreaterThanOrEqual(4);
  });

  it('gives up after maxAttempts when throttling does not stop', async () => {
    const { iam } = motoClients(moto, { maxAttempts: 3 });
    await moto.failNext('GetAccountSummary', { code: 'Throttling', count: 50, message: 'Rate exceeded' });
    const err = await iam
      .send(new GetAccountSummaryCommand({}))
      .catch((e: unknown) => e as { name: string; $metadata: { attempts: number } });
    expect(err).toMatchObject({ name: 'Throttling', $metadata: { attempts: 3 } });
    expect((await moto.calls()).iam!.GetAccountSummary).toBe(3);
  });
});
