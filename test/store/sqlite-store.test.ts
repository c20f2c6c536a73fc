import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { identityKey } from '../../src/domain/identity.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { ACCOUNT, failingUser, MONDAY_10, scanOf } from '../domain/nudge-fixtures.js';
import { storeContract } from './contract.js';

const open: SqliteStateStore[] = [];
function store(path = join(mkdtempSync(join(tmpdir(), 'mfa-store-')), 'nested', 'dir', 'state.db')): SqliteStateStore {
  const s = SqliteStateStore.open(path, { now: MONDAY_10 });
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const identities = new Map([
  [
    identityKey(ACCOUNT, 'ann'),
    { slackUserId: 'UANN0000001', via: 'email-tag' as const, email: 'ann@example.com', tz: 'Europe/Berlin' },
  ],
]);

async function withAnnCase(s: SqliteStateStore): Promise<void> {
  await s.applyCaseChanges([
    { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10 },
  ]);
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

storeContract('SqliteStateStore', {
  fresh: async () => store(),
  twoOnOneState: async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mfa-store-')), 'state.db');
    return [store(path), store(path)];
  },
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
      promisify(execFile)(process.execPath, [
        '--import',
        'tsx',
        'test/store/claim-racer.ts',
        path,
        name,
        '300',
        String(startAt),
        order,
      ]).then((r) => JSON.parse(r.stdout) as string[]);
    const [a, b] = await Promise.all([race('a', 'up'), race('b', 'down')]);
    expect(a.length + b.length).toBe(300);
    expect(new Set([...a, ...b]).size).toBe(300);
    // Both really took part (they ran at the same time, not one after the other).
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
  }, 30_000);
});

describe('SqliteStateStore: the latest scan', () => {
  it('is read once and shared, frozen, until a scan is saved, by this process or another', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mfa-store-')), 'state.db');
    const serve = store(path);
    await serve.saveScan(scanOf([failingUser('ann')]), identities);
    const first = await serve.latestScan();
    expect(await serve.latestScan()).toBe(first);
    const verdict = first!.scan.accounts[0]!.verdicts[0]!;
    expect(() => {
      (verdict as { status: string }).status = 'pass';
    }).toThrow(TypeError);

    // `mfa-bot run` from a shell, on the same file.
    const cli = store(path);
    await cli.saveScan(scanOf([failingUser('ann'), failingUser('bob')]), identities);
    const next = await serve.latestScan();
    expect(next!.id).toBeGreaterThan(first!.id);
    expect(next!.scan.accounts[0]!.verdicts.map((v) => v.principal)).toContain('bob');
  });
});
