import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { reconcileCases } from '../../src/domain/nudge-cases.js';
import type { Verdict } from '../../src/domain/types.js';
import { StorePorts } from '../../src/bot/store-ports.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { ACCOUNT, mapped, MONDAY_10, scanOf } from '../domain/nudge-fixtures.js';

const failing = (principal: string): Verdict => ({
  check: 'user-console-mfa',
  accountId: ACCOUNT,
  principal,
  arn: `arn:aws:iam::${ACCOUNT}:user/${principal}`,
  status: 'fail',
  severity: 'high',
  reason: 'no MFA',
  controls: [],
  remediation: 'enable MFA',
});

let store: SqliteStateStore | undefined;
afterEach(async () => {
  await store?.close();
});

async function world() {
  store = SqliteStateStore.open(join(mkdtempSync(join(tmpdir(), 'mfa-bot-ports-')), 'state.db'), { now: MONDAY_10 });
  const scan = scanOf([failing('ann.smith'), failing('bob')]);
  await store.saveScan(scan, mapped([['ann.smith', 'UANN0000001', 'Europe/Berlin']]));
  await store.applyCaseChanges(reconcileCases(scan, [], MONDAY_10));
  const next = new Date('2026-11-24T08:00:00Z');
  const ports = new StorePorts({
    store,
    config: parseConfig({}),
    now: () => MONDAY_10,
    clientsFor: () => undefined,
    nextScanAt: () => next,
  });
  return { store, ports, next };
}

describe('StorePorts', () => {
  it('answers from the latest stored scan and the identities resolved with it', async () => {
    const { ports, next } = await world();
    const latest = await ports.latestScan();
    expect(latest?.scan.accounts[0]?.verdicts.map((v) => v.principal)).toEqual(['ann.smith', 'bob']);
    expect(latest?.nextScanAt).toEqual(next);
    expect(await ports.iamUsersOf('UANN0000001')).toEqual([{ accountId: ACCOUNT, userName: 'ann.smith' }]);
    expect(await ports.iamUsersOf('UNOBODY0001')).toEqual([]);
    expect(await ports.slackIdentityOf({ accountId: ACCOUNT, userName: 'ann.smith' })).toMatchObject({
      slackUserId: 'UANN0000001',
      tz: 'Europe/Berlin',
    });
  });

  it('records snoozes, help requests and a resolution with the nudge it replaced', async () => {
    const { store, ports } = await world();
    const ann = { accountId: ACCOUNT, userName: 'ann.smith' };
    const until = new Date('2026-11-24T10:00:00Z');
    await ports.snooze(ann, until, 'UANN0000001');
    expect(await store.snoozes({ userName: 'ann.smith' })).toEqual([
      expect.objectContaining({ until, by: 'UANN0000001' }),
    ]);
    await ports.recordHelpRequest(ann, 'UANN0000001', MONDAY_10);
    expect(await store.helpRequests({ userName: 'ann.smith' })).toHaveLength(1);
    await ports.markResolved(ann, MONDAY_10, { channel: 'D0ANN000001', ts: '1700000000.000100' });
    const [latest] = await store.cases({ userName: 'ann.smith', latestOnly: true });
    expect(latest?.resolvedAt).toEqual(MONDAY_10);
  });

  it('says when it has no credentials for an account instead of guessing', async () => {
    const { ports } = await world();
    expect(await ports.recheck({ accountId: '999999999999', userName: 'x' })).toMatchObject({
      kind: 'error',
      error: { code: 'AccountNotReachable' },
    });
  });

  it(
    'scanNow: offered only with a scan job; ' + 'reports a scan that did not finish, and where the digest went',
    async () => {
      const { store, ports } = await world();
      expect(ports.scanNow).toBeUndefined();
      const config = parseConfig({ slack: { digestChannel: 'C0SECURITY1' } });
      const later = new Date(MONDAY_10.getTime() + 3_600_000);
      // The job ran but saved nothing (it failed): the latest scan is older than the request.
      const failed = new StorePorts({
        store,
        config,
        now: () => later,
        clientsFor: () => undefined,
        runScan: async () => undefined,
      });
      expect(await failed.scanNow!()).toMatchObject({ finished: false, latest: { scan: { generatedAt: MONDAY_10 } } });
      const scan = scanOf([failing('ann.smith')], {}, later);
      const done = new StorePorts({
        store,
        config,
        now: () => later,
        clientsFor: () => undefined,
        runScan: () => store.saveScan(scan, new Map()),
      });
      const report = await done.scanNow!();
      expect(report).toMatchObject({ finished: true, digest: { channel: 'C0SECURITY1' } });
      expect(report.latest?.scan.generatedAt).toEqual(later);
    },
  );
});
