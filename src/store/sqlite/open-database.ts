import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StateStoreError } from '../errors.js';
import { currentVersion, LATEST_VERSION, migrate } from './migrations.js';

export type OpenMode =
  /** The real file: created when missing, upgraded in place, written to. */
  | 'write'
  /**
   * An in-memory copy of the file (or an empty state when there is none): the dry run and `history` read
   * and even write to it freely while the file itself is never created, upgraded or changed.
   */
  | 'snapshot';

const KEEP = 'mfa-bot never replaces it: move it away, or point state.path at another file';

function explain(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'SQLITE_NOTADB':
      return `is not an SQLite database (it is corrupt, or some other file). ${KEEP}`;
    case 'SQLITE_CORRUPT':
      return `is corrupt (${e.message}). ${KEEP}`;
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_IOERR':
      return `cannot be opened for writing (${e.code}: ${e.message}): check the path and its permissions`;
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'is locked by another process for too long; is another mfa-bot stuck?';
    default:
      // File-system errors from creating the directory: ENOTDIR, EACCES, EROFS…
      if (e.code && /^E[A-Z]+$/.test(e.code)) return `cannot be created (${e.message}): check the path and its permissions`;
      return `cannot be used (${e.code ?? 'error'}: ${e.message ?? String(err)})`;
  }
}

/** Refuses files that are not ours or are damaged, before anything is written to them. */
function check(db: Database.Database, location: string): void {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>).map((t) => t.name);
  if (tables.length > 0 && !tables.includes('schema_migrations')) {
    throw new StateStoreError(location, `is an SQLite database but not an mfa-bot state file (it has tables ${tables.slice(0, 5).join(', ')}). ${KEEP}`);
  }
  const version = currentVersion(db);
  if (version > LATEST_VERSION) {
    throw new StateStoreError(location, `was written by a newer mfa-bot (schema version ${version}; this one knows up to ${LATEST_VERSION}): upgrade mfa-bot`);
  }
  const problems = (db.pragma('quick_check(5)') as Array<{ quick_check: string }>)
    .map((r) => r.quick_check.replace(/\*\*\* in database \w+ \*\*\*\s*/, '').replace(/\s*\n\s*/g, '; '))
    .filter((r) => r !== 'ok');
  if (problems.length > 0) throw new StateStoreError(location, `is corrupt (${problems.join('; ')}). ${KEEP}`);
}

function guard<T>(location: string, db: Database.Database | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    db?.close();
    if (err instanceof StateStoreError) throw err;
    throw new StateStoreError(location, explain(err));
  }
}

function openFile(path: string, now: Date): Database.Database {
  const location = path;
  guard(location, undefined, () => {
    if (existsSync(path) && statSync(path).isDirectory()) throw new StateStoreError(location, 'is a directory, not a file');
    mkdirSync(dirname(path), { recursive: true });
  });
  const db = guard(location, undefined, () => new Database(path));
  return guard(location, db, () => {
    db.pragma('busy_timeout = 5000');
    check(db, location);
    if (String(db.pragma('journal_mode = WAL', { simple: true })).toLowerCase() !== 'wal') {
      throw new StateStoreError(location, 'cannot switch to WAL mode (is it on a network file system?)');
    }
    // FULL: a claim must be on disk before the message it guards is sent, power cut or not.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, now);
    // Opening can succeed on a file we may not write; find out now, not at the first claim.
    db.prepare('BEGIN IMMEDIATE').run();
    db.prepare('ROLLBACK').run();
    return db;
  });
}

function openSnapshot(path: string, now: Date): Database.Database {
  if (!existsSync(path)) return openMemoryDatabase(now);
  const file = guard(path, undefined, () => new Database(path, { readonly: true, fileMustExist: true }));
  const image = guard(path, file, () => {
    file.pragma('busy_timeout = 5000');
    check(file, path);
    return file.serialize();
  });
  file.close();
  // A WAL file's header says so (bytes 18-19 = 2); an in-memory copy must use a rollback journal instead.
  image[18] = 1;
  image[19] = 1;
  const db = new Database(image);
  db.pragma('foreign_keys = ON');
  migrate(db, now);
  return db;
}

/** Empty state in memory: for tests, and anything that must leave no file behind. */
export function openMemoryDatabase(now: Date): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, now);
  return db;
}

export function openSqliteDatabase(path: string, options: { mode: OpenMode; now: Date }): { db: Database.Database; location: string } {
  const location = resolve(path);
  const db = options.mode === 'write' ? openFile(location, options.now) : openSnapshot(location, options.now);
  return { db, location };
}
