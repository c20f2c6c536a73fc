import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StateStoreError } from '../../src/store/errors.js';
import { currentVersion, LATEST_VERSION, migrate, MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { MONDAY_10 } from '../domain/nudge-fixtures.js';

const tempPath = () => join(mkdtempSync(join(tmpdir(), 'mfa-migrate-')), 'state.db');

/** A state file exactly as the first schema left it, with one scan of three users and its posted digest. */
function firstSchemaFile(): string {
  const path = tempPath();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  migrate(db, MONDAY_10, 1);
  db.prepare("INSERT INTO scans (id, scanned_at, fingerprint) VALUES (1, '2026-11-20T08:00:00.000Z', 'fp-1')").run();
  db.prepare(
    'INSERT INTO scan_accounts (scan_id, account_id, partition, alias, report_generated_at, root_mfa, ' +
      "root_credentials_present) VALUES (1, '111122223333', 'aws', 'prod', '2026-11-20T07:00:00.000Z', " +
      "'hardware', 1)",
  ).run();
  const verdict = db.prepare(
    'INSERT INTO verdicts (scan_id, account_id, principal, check_id, arn, ' +
      "status, reason) VALUES (1, '111122223333', ?, 'user-console-mfa', ?, ?, 'r')",
  );
  verdict.run('ann', 'arn:aws:iam::111122223333:user/ann', 'fail');
  verdict.run('bob', 'arn:aws:iam::111122223333:user/bob', 'pass');
  verdict.run('carol', 'arn:aws:iam::111122223333:user/carol', 'grace');
  db.prepare(
    'INSERT INTO verdicts (scan_id, account_id, principal, check_id, arn, status, reason) VALUES ' +
      "(1, '111122223333', '<root_account>', 'root-mfa', 'arn:aws:iam::111122223333:root', 'fail', 'r')",
  ).run();
  db.prepare(
    'INSERT INTO digests (fingerprint, scan_id, channel, posted_at, ts) ' +
      "VALUES ('fp-1', 1, 'C0SECURITY1', '2026-11-20T08:01:00.000Z', '111.222')",
  ).run();
  db.close();
  return path;
}

function versionOf(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return currentVersion(db);
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('are numbered 1, 2, 3… without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('upgrade a file from the first schema in place, keeping its scans and posted digests', async () => {
    const path = firstSchemaFile();
    expect(versionOf(path)).toBe(1);
    const store = SqliteStateStore.open(path, { now: MONDAY_10 });
    const latest = await store.latestScan();
    expect(latest).toMatchObject({ id: 1, fingerprint: 'fp-1', scannedAt: new Date('2026-11-20T08:00:00.000Z') });
    expect(latest!.scan.accounts[0]!.verdicts.map((v) => `${v.principal}:${v.status}`).sort()).toEqual([
      '<root_account>:fail',
      'ann:fail',
      'bob:pass',
      'carol:grace',
    ]);
    // Step 3 counted the old scan's verdicts for the trends.
    expect(await store.scanSummaries()).toMatchObject([
      { scanId: 1, users: { pass: 1, fail: 1, grace: 1, exempt: 0 }, failing: 2 },
    ]);
    // Step 2 turned the posted digest into a delivery: that scan's digest is never posted again.
    expect(await store.delivery({ type: 'digest', channel: 'C0SECURITY1', fingerprint: 'fp-1' })).toMatchObject({
      state: 'sent',
      ts: '111.222',
    });
    // And the upgraded file works like a new one.
    await store.applyCaseChanges([
      { type: 'open', accountId: '111122223333', userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10 },
    ]);
    expect(await store.cases()).toHaveLength(1);
    expect(await store.claimRequest('event:Ev1', MONDAY_10, new Date(MONDAY_10.getTime() + 60_000))).toBe(true);
    // Step 8: exemptions granted in Slack; the old scan's verdicts read back without access key use.
    expect(await store.grantedExemptions()).toEqual([]);
    expect(latest!.scan.accounts[0]!.verdicts.some((v) => 'keysLastUsed' in v)).toBe(false);
    await store.close();
    expect(versionOf(path)).toBe(LATEST_VERSION);
    const db = new Database(path, { readonly: true });
    expect(
      (
        db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>
      ).map((r) => r.version),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    db.close();
  });

  it('are not run again on an up-to-date file', async () => {
    const path = tempPath();
    await SqliteStateStore.open(path, { now: MONDAY_10 }).close();
    const db = new Database(path);
    expect(migrate(db, MONDAY_10)).toEqual([]);
    db.close();
  });

  it('leave an old file alone when it is only read (a dry run or `history`), while the copy is upgraded', async () => {
    const path = firstSchemaFile();
    const copy = SqliteStateStore.open(path, { mode: 'snapshot', now: MONDAY_10 });
    expect(await copy.scanSummaries()).toHaveLength(1);
    await copy.applyCaseChanges([
      { type: 'open', accountId: '111122223333', userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10 },
    ]);
    await copy.close();
    expect(versionOf(path)).toBe(1);
  });

  it('leave an old file alone when report or history reads it, reading an upgraded copy', async () => {
    for (const running of [false, true]) {
      const path = firstSchemaFile();
      const bot = running ? new Database(path) : undefined;
      bot?.pragma('wal_autocheckpoint = 0');
      bot?.prepare("UPDATE scans SET scanned_at = '2026-11-21T08:00:00.000Z'").run();
      const reading = SqliteStateStore.open(path, { mode: 'read', now: MONDAY_10 });
      const [summary] = await reading.scanSummaries();
      expect(summary?.scannedAt.toISOString()).toBe(running ? '2026-11-21T08:00:00.000Z' : '2026-11-20T08:00:00.000Z');
      await reading.close();
      bot?.close();
      expect(versionOf(path)).toBe(1);
    }
  });

  it('refuse a file written by a newer mfa-bot, naming it', () => {
    const path = tempPath();
    const db = new Database(path);
    migrate(db, MONDAY_10);
    // A newer mfa-bot numbers its steps on from ours.
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', '2030-01-01')",
    ).run(LATEST_VERSION + 1);
    db.close();
    expect(() => SqliteStateStore.open(path)).toThrow(StateStoreError);
    expect(() => SqliteStateStore.open(path)).toThrow(
      `state file ${path}: was written by a newer mfa-bot (schema version ` +
        `${LATEST_VERSION + 1}; this one knows up to ${LATEST_VERSION})`,
    );
  });
});
