import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StateStoreError } from '../../src/store/errors.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { failingUser, MONDAY_10, scanOf } from '../domain/nudge-fixtures.js';

const dir = () => mkdtempSync(join(tmpdir(), 'mfa-open-'));
const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function openError(path: string, mode: 'write' | 'snapshot' = 'write'): StateStoreError {
  try {
    SqliteStateStore.open(path, { mode }).close();
  } catch (err) {
    expect(err).toBeInstanceOf(StateStoreError);
    return err as StateStoreError;
  }
  throw new Error(`${path} opened`);
}

describe('opening the state file', () => {
  it('refuses a file that is not a database, names it, and leaves it exactly as it was', () => {
    const path = join(dir(), 'state.db');
    writeFileSync(path, "these are somebody's notes, not a database\n".repeat(300));
    const before = hash(path);
    for (const mode of ['write', 'snapshot'] as const) {
      expect(openError(path, mode).message).toBe(
        `state file ${path}: is not an SQLite database (it is damaged, or some other file). ` +
          'mfa-bot never replaces it: move it away, or point state.path at another file',
      );
    }
    expect(hash(path)).toBe(before);
  });

  it('refuses a database with a damaged page', async () => {
    const path = join(dir(), 'state.db');
    const store = SqliteStateStore.open(path, { now: MONDAY_10 });
    await store.saveScan(scanOf(Array.from({ length: 400 }, (_, i) => failingUser(`user-${i}`))), new Map());
    await store.close();
    const db = new Database(path);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(statSync(path).size).toBeGreaterThan(8 * 4096);
    // Scribble over pages 3 to 6: b-tree pages of the scan tables.
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4 * 4096, 0xa5), 0, 4 * 4096, 2 * 4096);
    closeSync(fd);
    const before = hash(path);
    expect(openError(path).message).toMatch(
      new RegExp(
        `^state file ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is damaged \\(.+\\)\\. mfa-bot never replaces it`,
      ),
    );
    expect(hash(path)).toBe(before);
  });

  it("refuses another program's SQLite database", () => {
    const path = join(dir(), 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    db.close();
    expect(openError(path).message).toContain(
      'is an SQLite database but not an mfa-bot state file (it has tables customers)',
    );
  });

  it('says so when the path cannot be a file: a directory, or a file where a directory should be', () => {
    const d = dir();
    mkdirSync(join(d, 'state.db'));
    expect(openError(join(d, 'state.db')).message).toBe(
      `state file ${join(d, 'state.db')}: is a directory, not a file`,
    );
    writeFileSync(join(d, 'plain'), 'x');
    expect(openError(join(d, 'plain', 'state.db')).message).toMatch(
      new RegExp(`^state file ${join(d, 'plain', 'state.db')}: cannot be created \\(`),
    );
  });
});

describe('reading the state file for report and history (mode read)', () => {
  it('reads a file a bot has open where it is: what the bot commits later shows, and writes are refused', async () => {
    const path = join(dir(), 'state.db');
    const bot = SqliteStateStore.open(path, { now: MONDAY_10 });
    await bot.saveScan(scanOf([failingUser('bob')]), new Map());
    const reading = SqliteStateStore.open(path, { mode: 'read', now: MONDAY_10 });
    expect(reading.location).toBe(`${path} (read-only)`);
    expect(await reading.scanSummaries()).toHaveLength(1);
    await bot.saveScan(scanOf([failingUser('bob'), failingUser('carol')]), new Map());
    expect(await reading.scanSummaries()).toHaveLength(2);
    await expect(reading.saveScan(scanOf([failingUser('dave')]), new Map())).rejects.toThrow(/readonly/);
    await reading.close();
    await bot.close();
  });

  it('reads a file no process has open from a temporary copy, leaving nothing behind', async () => {
    const path = join(dir(), 'state.db');
    const bot = SqliteStateStore.open(path, { now: MONDAY_10 });
    await bot.saveScan(scanOf([failingUser('bob')]), new Map());
    await bot.close();
    const before = hash(path);
    const temp = dir();
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      const reading = SqliteStateStore.open(path, { mode: 'read', now: MONDAY_10 });
      expect(readdirSync(temp)).toEqual([]);
      expect(await reading.scanSummaries()).toHaveLength(1);
      await reading.close();
    } finally {
      process.env.TMPDIR = savedTmp;
    }
    expect(readdirSync(dirname(path))).toEqual(['state.db']);
    expect(readdirSync(temp)).toEqual([]);
    expect(hash(path)).toBe(before);
  });
});
