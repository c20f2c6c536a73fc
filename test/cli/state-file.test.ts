import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { failingUser, MONDAY_10, scanOf } from '../domain/nudge-fixtures.js';
import { runCli } from '../support/cli.js';
import { MODES_BIND, runCliProcess } from './cli-process.js';

let dir: string;
let statePath: string;
let configPath: string;
const locked: string[] = [];
const hash = () => createHash('sha256').update(readFileSync(statePath)).digest('hex');
/** A token is set, but nothing answers there: these runs must stop at the state file, before Slack. */
const env = { SLACK_BOT_TOKEN: 'xoxb-not-used', SLACK_API_URL: 'http://127.0.0.1:9/api/' };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-state-file-'));
  statePath = join(dir, 'state.db');
  configPath = join(dir, 'c.yml');
  writeFileSync(configPath, `slack: { digestChannel: C0SECURITY1 }\nstate: { path: ${JSON.stringify(statePath)} }\n`);
  const store = SqliteStateStore.open(statePath, { now: MONDAY_10 });
  await store.saveScan(scanOf([failingUser('bob')]), new Map());
  await store.close();
});
afterEach(() => {
  for (const path of locked.splice(0)) chmodSync(path, 0o755);
});

describe('reading the state file writes nothing beside it', () => {
  it('history leaves no -wal or -shm file, and the file unchanged', async () => {
    const before = hash();
    expect(readdirSync(dir).sort()).toEqual(['c.yml', 'state.db']);
    const r = await runCli(['history', '--config', configPath]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('111122223333');
    expect(readdirSync(dir).sort()).toEqual(['c.yml', 'state.db']);
    expect(hash()).toBe(before);
  });

  it('reads what a running bot has written but not yet checkpointed, through SQLite', async () => {
    const running = new Database(statePath);
    running.pragma('wal_autocheckpoint = 0');
    running.prepare("UPDATE scans SET scanned_at = '2031-01-01T00:00:00.000Z'").run();
    const r = await runCli(['history', '--config', configPath, '--format', 'json']);
    running.close();
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0].scannedAt).toBe('2031-01-01T00:00:00.000Z');
  });
});

describe.runIf(MODES_BIND)('a state file mfa-bot cannot write: exit 5, and the message names the file', () => {
  it('a read-only file (chmod 444)', async () => {
    chmodSync(statePath, 0o444);
    locked.push(statePath);
    const r = await runCliProcess(['run', '--config', configPath], env);
    expect(r.stderr).toContain(`mfa-bot: state file ${statePath}: cannot be written (SQLITE_READONLY`);
    expect(r.stderr).not.toContain('unexpected error');
    expect(r.code).toBe(5);
  });

  it('a directory that cannot hold the -wal and -shm files (chmod 555)', async () => {
    chmodSync(dir, 0o555);
    locked.push(dir);
    const r = await runCliProcess(['run', '--config', configPath], env);
    expect(r.stderr).toContain(`mfa-bot: state file ${statePath}: cannot be written (SQLITE_READONLY`);
    expect(r.code).toBe(5);
    expect(readdirSync(dir).sort()).toEqual(['c.yml', 'state.db']);
  });
});

describe('a damaged state file is called damaged', () => {
  /** Flips the key of the last schema_migrations row to 127, as a damaged page would. */
  function damageMigrationsPage(): void {
    const db = new Database(statePath, { readonly: true });
    const page = db
      .prepare("SELECT rootpage FROM sqlite_master WHERE name = 'schema_migrations'")
      .pluck()
      .get() as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(statePath);
    const start = (page - 1) * pageSize;
    expect(bytes[start]).toBe(0x0d); // a table leaf page
    const cells = bytes.readUInt16BE(start + 3);
    const lastCell = start + bytes.readUInt16BE(start + 8 + 2 * (cells - 1));
    bytes[lastCell + 1] = 0x7f; // the rowid, after the one-byte payload length
    writeFileSync(statePath, bytes);
  }

  it.each([
    ['run', (c: string) => ['run', '--config', c]],
    ['history', (c: string) => ['history', '--config', c]],
  ])('%s: says the file is damaged, not that it is from a newer version', async (_name, args) => {
    damageMigrationsPage();
    const before = hash();
    const r = await runCli(args(configPath), { env });
    expect(r.stderr).toContain(`mfa-bot: state file ${statePath}: is damaged`);
    expect(r.stderr).not.toMatch(/newer|schema version/);
    expect(r.code).toBe(5);
    expect(hash()).toBe(before);
  });
});
