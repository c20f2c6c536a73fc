import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { recordCurrentAccountScan } from '../../src/jobs/record-scan.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { createUsers, MOTO_ACCOUNT, motoClients } from '../support/aws.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';

const config = parseConfig({ checks: { gracePeriodDays: 0 }, identity: { map: { mapped: 'UMAPPED0001' } } });

describe('recordCurrentAccountScan (serve without a state file)', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
    await createUsers(motoClients(moto).iam, [
      { name: 'ann', password: true, tags: { slack: 'UANN000001' } },
      { name: 'bob', password: true, mfa: 'virtual', tags: { slack: 'UBOB000001' } },
      { name: 'mapped', password: true },
      { name: 'apikeys', tags: { slack: 'UAPI000001' } },
    ]);
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('keeps the scan, its Slack mapping and the cases it opens, reading the tags of failing users only', async () => {
    const store = SqliteStateStore.inMemory();
    expect(await store.latestScan()).toBeUndefined();
    const before = (await moto.calls()).iam?.ListUserTags ?? 0;

    const scan = await recordCurrentAccountScan({ aws: motoClients(moto), config, store, now: () => new Date() });

    const stored = (await store.latestScan())?.scan;
    expect(stored?.generatedAt).toEqual(scan.generatedAt);
    expect(stored?.accounts.map((a) => [a.accountId, a.verdicts.length])).toEqual([
      [MOTO_ACCOUNT, scan.accounts[0]!.verdicts.length],
    ]);
    const usersOf = async (slackUserId: string) => (await store.identitiesOf(slackUserId)).map((i) => i.userName);
    expect(await usersOf('UANN000001')).toEqual(['ann']);
    expect(await usersOf('UMAPPED0001')).toEqual(['mapped']);
    // No console password, no console login to ask about; bob has MFA, so his tags are not read.
    expect(await usersOf('UAPI000001')).toEqual([]);
    expect(await usersOf('UBOB000001')).toEqual([]);
    expect((await store.identityOf(MOTO_ACCOUNT, 'ann'))?.identity).toMatchObject({
      slackUserId: 'UANN000001',
      via: 'slack-tag',
    });
    expect((await moto.calls()).iam?.ListUserTags).toBe(before + 2);
    const open = (await store.cases({ latestOnly: true })).filter((c) => !c.resolvedAt).map((c) => c.userName);
    expect(open.sort()).toEqual(['ann', 'mapped']);
    await store.close();
  });
});
