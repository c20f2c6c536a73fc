import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { identityKey } from '../../src/domain/identity.js';
import type { CaseKey } from '../../src/domain/ledger.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { MAX_DELIVERY_ATTEMPTS, type DeliveryKey } from '../../src/store/store.js';
import { ACCOUNT, DAY, failingUser, graceUser, MONDAY_10, passingUser, scanOf } from '../domain/nudge-fixtures.js';
import { brokenAccount, exemptUser, rootMfaFail } from '../slack/blocks/factories.js';

const open: SqliteStateStore[] = [];
function store(path = join(mkdtempSync(join(tmpdir(), 'mfa-store-')), 'nested', 'dir', 'state.db')): SqliteStateStore {
  const s = SqliteStateStore.open(path, { now: MONDAY_10 });
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const ANN: CaseKey = { accountId: ACCOUNT, userName: 'ann', cycle: 1 };
const nudge1: DeliveryKey = { type: 'case', case: ANN, step: 'nudge-1' };
const identities = new Map([[identityKey(ACCOUNT, 'ann'), { slackUserId: 'UANN0000001', via: 'email-tag' as const, email: 'ann@example.com', tz: 'Europe/Berlin' }]]);

async function withAnnCase(s: SqliteStateStore): Promise<void> {
  await s.applyCaseChanges([{ type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10 }]);
}

describe('SqliteStateStore: the file', () => {
  it('is created on first use with its directories, in WAL mode, and keeps what was saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-store-'));
    const path = join(dir, 'a', 'b', 'state.db');
    const s = store(path);
    expect(existsSync(path)).toBe(true);
    await s.saveScan(scanOf([failingUser('ann')]), identities);
    await s.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    expect((await store(path).latestScan())?.scan.accounts[0]?.verdicts.map((v) => v.principal)).toEqual(['ann']);
  });
});

describe('SqliteStateStore: scans', () => {
  it('gives back exactly the verdicts it was given, check metadata included', async () => {
    const s = store();
    const scan = scanOf([failingUser('ann'), graceUser('bob'), passingUser('carol'), exemptUser('dan', 'break-glass'), rootMfaFail()], { rootCredentialsPresent: true });
    scan.accounts.push(brokenAccount('999988887777', { code: 'AccessDenied', message: 'not allowed', hint: 'check the role' }));
    const ref = await s.saveScan(scan, identities);
    const back = await s.latestScan();
    expect(back?.id).toBe(ref.id);
    expect(back?.fingerprint).toBe(ref.fingerprint);
    const sortV = (vs: typeof scan.accounts[0]['verdicts']) => [...vs].sort((a, b) => `${a.principal}${a.check}`.localeCompare(`${b.principal}${b.check}`));
    for (const [i, account] of scan.accounts.entries()) {
      const got = back!.scan.accounts[i]!;
      expect({ ...got, verdicts: sortV(got.verdicts) }).toEqual({ ...account, verdicts: sortV(account.verdicts) });
    }
  });

  it('answers the previous scan, per-account counts for the last N scans, and one user\'s verdicts', async () => {
    const s = store();
    const first = await s.saveScan(scanOf([failingUser('ann'), failingUser('bob')]), identities);
    const second = await s.saveScan(scanOf([passingUser('ann'), failingUser('bob')], {}, new Date(MONDAY_10.getTime() + DAY)), new Map());
    const third = await s.saveScan(scanOf([passingUser('ann'), passingUser('bob')], {}, new Date(MONDAY_10.getTime() + 2 * DAY)), new Map());
    expect((await s.scanBefore(third.id))?.id).toBe(second.id);
    expect(await s.scanBefore(first.id)).toBeUndefined();
    const last2 = await s.scanSummaries({ lastScans: 2 });
    expect(last2.map((r) => [r.scanId, r.users.pass, r.users.fail])).toEqual([
      [second.id, 1, 1],
      [third.id, 2, 0],
    ]);
    expect(await s.scanSummaries({ accountId: '000000000000' })).toEqual([]);
    const ann = await s.userVerdicts(ACCOUNT, 'ann');
    expect(ann?.scan.id).toBe(third.id);
    expect(ann?.verdicts.map((v) => v.status)).toEqual(['pass']);
  });

  it('gives the same fingerprint to the same findings in the same credential report, another after a change', async () => {
    const s = store();
    const a = await s.saveScan(scanOf([failingUser('ann')]), identities);
    const b = await s.saveScan(scanOf([failingUser('ann')], {}, new Date(MONDAY_10.getTime() + 60_000)), identities);
    const c = await s.saveScan(scanOf([passingUser('ann')]), identities);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });
});

describe('SqliteStateStore: identities', () => {
  it('finds a Slack user\'s IAM users, the mappings of a scan, and the last known time zones', async () => {
    const s = store();
    const first = await s.saveScan(scanOf([failingUser('ann')]), identities);
    const second = await s.saveScan(scanOf([passingUser('ann')]), new Map());
    expect(await s.identitiesOf('UANN0000001')).toEqual([{ accountId: ACCOUNT, userName: 'ann', identity: identities.get(identityKey(ACCOUNT, 'ann')), scanId: first.id }]);
    expect((await s.identitiesAt(first.id)).size).toBe(1);
    expect((await s.identitiesAt(second.id)).size).toBe(0);
    expect((await s.knownIdentities()).get(identityKey(ACCOUNT, 'ann'))?.slackUserId).toBe('UANN0000001');
    expect((await s.identityOf(ACCOUNT, 'ann'))?.identity.tz).toBe('Europe/Berlin');
    expect(await s.identityOf(ACCOUNT, 'nobody')).toBeUndefined();
    expect(await s.timeZones()).toEqual(new Map([['UANN0000001', 'Europe/Berlin']]));
  });
});

describe('SqliteStateStore: the ledger', () => {
  it('keeps one open case per user, whatever is applied twice', async () => {
    const s = store();
    await withAnnCase(s);
    await withAnnCase(s);
    await s.applyCaseChanges([{ type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 2, status: 'fail', at: MONDAY_10 }]);
    expect((await s.cases()).map((c) => c.cycle)).toEqual([1]);
    await s.applyCaseChanges([{ type: 'resolve', key: ANN, resolution: 'fixed', at: MONDAY_10 }]);
    await s.applyCaseChanges([{ type: 'resolve', key: ANN, resolution: 'gone', at: new Date(MONDAY_10.getTime() + DAY) }]);
    await s.applyCaseChanges([{ type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 2, status: 'fail', at: MONDAY_10 }]);
    const cases = await s.cases({ userName: 'ann' });
    expect(cases.map((c) => [c.cycle, c.resolution ?? 'open'])).toEqual([
      [1, 'fixed'],
      [2, 'open'],
    ]);
    expect((await s.cases({ latestOnly: true })).map((c) => c.cycle)).toEqual([2]);
  });

  it('snoozes only an open case, and logs each snooze', async () => {
    const s = store();
    expect(await s.snooze(ACCOUNT, 'ann', MONDAY_10, { at: MONDAY_10 })).toBe(false);
    await withAnnCase(s);
    const until = new Date(MONDAY_10.getTime() + DAY);
    expect(await s.snooze(ACCOUNT, 'ann', until, { at: MONDAY_10, by: 'UANN0000001' })).toBe(true);
    expect((await s.cases())[0]!.snoozedUntil).toEqual(until);
    expect(await s.snoozes({ userName: 'ann' })).toEqual([{ accountId: ACCOUNT, userName: 'ann', cycle: 1, at: MONDAY_10, until, by: 'UANN0000001' }]);
  });

  it('records a help request once per request ID', async () => {
    const s = store();
    const request = { accountId: ACCOUNT, userName: 'ann', slackUserId: 'UANN0000001', at: MONDAY_10, channel: 'C0SECURITY1', ts: '1.2', requestId: 'trigger-1' };
    expect(await s.recordHelpRequest(request)).toBe(true);
    expect(await s.recordHelpRequest(request)).toBe(false);
    expect(await s.helpRequests({ userName: 'ann' })).toEqual([request]);
  });

  it('resolves a case from a live re-check, and with `thanked` records the thank-you and update as done', async () => {
    const s = store();
    expect(await s.resolveByRecheck(ACCOUNT, 'ann', MONDAY_10)).toBe(false);
    await withAnnCase(s);
    expect(await s.resolveByRecheck(ACCOUNT, 'ann', MONDAY_10, { thanked: { channel: 'D0ANN00001', ts: '9.9' } })).toBe(true);
    const [c] = await s.cases();
    expect(c).toMatchObject({ resolution: 'fixed', resolvedAt: MONDAY_10 });
    expect(c!.messages.map((m) => [m.step, m.state, m.ts])).toEqual([
      ['resolved-update', 'sent', '9.9'],
      ['thank-you', 'sent', '9.9'],
    ]);
  });
});

describe('SqliteStateStore: claims', () => {
  it('lets exactly one claimant win, and the loser sees what was sent', async () => {
    const s = store();
    await withAnnCase(s);
    expect(await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'a', at: MONDAY_10 })).toEqual({ claimed: true, attempt: 1 });
    const lost = await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'b', at: MONDAY_10 });
    expect(lost).toMatchObject({ claimed: false, existing: { claimId: 'a', state: 'claimed', key: nudge1 } });
    expect(await s.markSent('b', { at: MONDAY_10, channel: 'D1', ts: '1.1' })).toBe(false);
    expect(await s.markSent('a', { at: MONDAY_10, channel: 'D1', ts: '1.1' })).toBe(true);
    expect(await s.delivery(nudge1)).toMatchObject({ state: 'sent', channel: 'D1', ts: '1.1' });
    expect(await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'c', at: MONDAY_10 })).toMatchObject({ claimed: false });
  });

  it('releases a refused send for another try, and gives up after the last attempt', async () => {
    const s = store();
    await withAnnCase(s);
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      expect(await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: `try-${attempt}`, at: MONDAY_10 })).toEqual({ claimed: true, attempt });
      await s.markFailed(`try-${attempt}`, 'messages_tab_disabled', { retryable: true });
    }
    expect(await s.delivery(nudge1)).toMatchObject({ state: 'abandoned', attempts: MAX_DELIVERY_ATTEMPTS, error: 'messages_tab_disabled' });
    expect(await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'again', at: MONDAY_10 })).toMatchObject({ claimed: false });
  });

  it('lists claims left without an outcome, and settles them only once', async () => {
    const s = store();
    await withAnnCase(s);
    await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'old', at: MONDAY_10 });
    expect(await s.staleClaims(MONDAY_10)).toEqual([]);
    const stale = await s.staleClaims(new Date(MONDAY_10.getTime() + 1));
    expect(stale).toMatchObject([{ claimId: 'old', key: nudge1, recipient: 'UANN0000001' }]);
    expect(await s.markUnconfirmed('old', 'no history scope')).toBe(true);
    expect(await s.markUnconfirmed('old', 'again')).toBe(false);
    expect(await s.markFailed('old', 'x', { retryable: true })).toBe(false);
    expect(await s.staleClaims(new Date(MONDAY_10.getTime() + DAY))).toEqual([]);
  });

  it('two processes on one file: each key is claimed by one of them only', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mfa-store-')), 'state.db');
    const [a, b] = [store(path), store(path)];
    await withAnnCase(a);
    await b.applyCaseChanges([{ type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10 }]);
    const keys: DeliveryKey[] = Array.from({ length: 50 }, (_, i) => ({ type: 'case', case: ANN, step: `nudge-${i + 1}` }));
    const results = await Promise.all(
      keys.flatMap((key, i) => [
        a.claim({ key, kind: 'nudge', recipient: 'U1', claimId: `a-${i}`, at: MONDAY_10 }),
        b.claim({ key, kind: 'nudge', recipient: 'U1', claimId: `b-${i}`, at: MONDAY_10 }),
      ]),
    );
    expect(results.filter((r) => r.claimed)).toHaveLength(50);
    expect((await b.cases())[0]!.messages).toHaveLength(50);
  });
});

describe('SqliteStateStore: two real processes', () => {
  it('racing to claim the same 300 steps, win 300 between them, never the same one twice', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const path = join(mkdtempSync(join(tmpdir(), 'mfa-store-')), 'state.db');
    const s = store(path);
    await withAnnCase(s);
    await s.close();
    const startAt = Date.now() + 4000;
    const race = (name: string, order: 'up' | 'down') =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/store/claim-racer.ts', path, name, '300', String(startAt), order]).then((r) => JSON.parse(r.stdout) as string[]);
    const [a, b] = await Promise.all([race('a', 'up'), race('b', 'down')]);
    expect(a.length + b.length).toBe(300);
    expect(new Set([...a, ...b]).size).toBe(300);
    // Both really took part (they ran at the same time, not one after the other).
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
  }, 30_000);
});
