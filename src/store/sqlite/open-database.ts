import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StateStoreError } from '../errors.js';
import { LATEST_VERSION, migrate } from './migrations.js';

export type OpenMode =
  /** The real file: created when missing, upgraded in place, written to. */
  | 'write'
  /**
   * An in-memory copy of the file (or an empty state when there is none): the dry run and `history` read
   * and even write to it freely while the file itself is never created, upgraded or changed.
   */
  | 'snapshot'
  /**
   * For commands that only look (`report`, `history`): like a snapshot, the file is never created, upgraded or
   * changed, but the state is not held in memory. See openForReading.
   */
  | 'read';

const KEEP = 'mfa-bot never replaces it: move it away, or point state.path at another file';
const DAMAGED =
  'mfa-bot never replaces it: restore it from a backup, or move it away (a new file starts without the nudge history)';

function explain(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  // better-sqlite3 gives extended codes (SQLITE_READONLY_DIRECTORY, SQLITE_IOERR_WRITE…): match the family.
  if (code.startsWith('SQLITE_NOTADB')) return `is not an SQLite database (it is damaged, or some other file). ${KEEP}`;
  if (code.startsWith('SQLITE_CORRUPT')) return `is damaged (${e.message}). ${DAMAGED}`;
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) {
    return (
      `cannot be written (${code}: ${e.message}): mfa-bot must write to it and to ` +
      'its directory (the -wal and -shm files beside it). Check the permissions, ' +
      'the immutable flag (lsattr) and whether the file system is mounted read-only'
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return (
      `cannot be opened for writing (${code}: ${e.message}): check that its ` +
      'directory exists and is writable (SQLite keeps -wal and -shm files beside it)'
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return 'is locked by another process for too long; is another mfa-bot stuck?';
  // File-system errors from creating the directory (ENOTDIR, EACCES, EROFS…), or from reading the file.
  if (/^E[A-Z]+$/.test(code))
    return (
      `cannot be ${(err as { syscall?: string }).syscall === 'mkdir' ? 'created' : 'read'} ` +
      `(${e.message}): check the path and its permissions`
    );
  return `cannot be used (${code || 'error'}: ${e.message ?? String(err)})`;
}

/** Refuses files that are not ours or are damaged, before anything is written to them. */
export function check(db: Database.Database, location: string): void {
  // First, as garbage in a damaged page reads as anything, a schema version included.
  const problems = (db.pragma('quick_check(5)') as Array<{ quick_check: string }>)
    .map((r) => r.quick_check.replace(/\*\*\* in database \w+ \*\*\*\s*/, '').replace(/\s*\n\s*/g, '; '))
    .filter((r) => r !== 'ok');
  if (problems.length > 0) throw new StateStoreError(location, `is damaged (${problems.join('; ')}). ${DAMAGED}`);
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{
      name: string;
    }>
  ).map((t) => t.name);
  if (tables.length === 0) return;
  if (!tables.includes('schema_migrations')) {
    throw new StateStoreError(
      location,
      `is an SQLite database but not an mfa-bot state file (it has tables ${tables.slice(0, 5).join(', ')}). ${KEEP}`,
    );
  }
  // Every mfa-bot, newer ones too, records its migrations as 1, 2, 3… in order: anything else is damage.
  const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
  if (versions.some((v, i) => v !== i + 1)) {
    throw new StateStoreError(
      location,
      `is damaged: its schema_migrations table reads ${versions.join(', ')}, ` +
        `where 1 to ${versions.length} in order are expected. ${DAMAGED}`,
    );
  }
  const version = versions.length;
  if (version > LATEST_VERSION) {
    throw new StateStoreError(
      location,
      `was written by a newer mfa-bot (schema version ${version}; ` +
        `this one knows up to ${LATEST_VERSION}): upgrade mfa-bot`,
    );
  }
}

export function guard<T>(location: string, db: Database.Database | undefined, fn: () => T): T {
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
    if (existsSync(path) && statSync(path).isDirectory())
      throw new StateStoreError(location, 'is a directory, not a file');
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
    proveWritable(db);
    return db;
  });
}

/**
 * SQLite quietly opens a file it may not write (chmod, chattr +i, a read-only mount) read-only; a real write,
 * rolled back, finds out now rather than at the first claim.
 */
export function proveWritable(db: Database.Database): void {
  db.prepare('BEGIN IMMEDIATE').run();
  try {
    db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
  } finally {
    db.prepare('ROLLBACK').run();
  }
}

/**
 * The file's bytes. Without a -wal file beside it no process has it open, so the file alone is the whole
 * state, and it is read as a plain file: opening it with SQLite, even read-only, would leave -wal and -shm
 * files behind. With one, a bot is running (or stopped mid-write): SQLite reads the file and the log together.
 */
export function fileImage(path: string): Buffer {
  if (!existsSync(`${path}-wal`)) return guard(path, undefined, () => readFileSync(path));
  const file = guard(path, undefined, () => new Database(path, { readonly: true, fileMustExist: true }));
  return guard(path, file, () => {
    file.pragma('busy_timeout = 5000');
    const image = file.serialize();
    file.close();
    return image;
  });
}

/** The file's bytes as an in-memory database, checked; the file itself is neither opened for writing nor changed. */
export function openImage(path: string): Database.Database {
  const image = fileImage(path);
  // A WAL file's header says so (bytes 18-19 = 2); an in-memory copy must use a rollback journal instead.
  if (image.length >= 100) {
    image[18] = 1;
    image[19] = 1;
  }
  const db = guard(path, undefined, () => new Database(image));
  guard(path, db, () => check(db, path));
  return db;
}

function openSnapshot(path: string, now: Date): Database.Database {
  if (!existsSync(path)) return openMemoryDatabase(now);
  const db = openImage(path);
  db.pragma('foreign_keys = ON');
  migrate(db, now);
  return db;
}

function schemaVersion(db: Database.Database): number {
  return Number(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get());
}

/**
 * With a -wal file beside it a process has the file open: it is read where it is, through a read-only connection
 * (SQLite reads the file and the log together; the -wal and -shm files are already there), unless its schema is
 * older than this mfa-bot's, which only an upgraded copy can read. Without one, SQLite would leave -wal and -shm
 * files behind even read-only: the file is copied to a temporary file instead, upgraded there if it must be, and
 * read through a read-only connection. Either way nothing but SQLite's page cache is held in memory.
 */
function openForReading(path: string, now: Date): Database.Database {
  if (!existsSync(path)) return openMemoryDatabase(now);
  if (existsSync(`${path}-wal`)) {
    const db = guard(path, undefined, () => new Database(path, { readonly: true, fileMustExist: true }));
    const current = guard(path, db, () => {
      db.pragma('busy_timeout = 5000');
      check(db, path);
      return schemaVersion(db) === LATEST_VERSION;
    });
    if (current) return db;
    db.close();
    return openSnapshot(path, now);
  }
  return openTemporaryCopy(path, now);
}

function openTemporaryCopy(path: string, now: Date): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-state-'));
  try {
    const copy = join(dir, 'state.db');
    guard(path, undefined, () => copyFileSync(path, copy));
    // Bytes 18-19 = 2 mark a WAL file: the copy uses a rollback journal, which needs no -wal or -shm file.
    const fd = openSync(copy, 'r+');
    try {
      if (statSync(copy).size >= 100) writeSync(fd, Buffer.from([1, 1]), 0, 2, 18);
    } finally {
      closeSync(fd);
    }
    const upgrade = guard(path, undefined, () => new Database(copy));
    guard(path, upgrade, () => {
      check(upgrade, path);
      upgrade.pragma('foreign_keys = ON');
      migrate(upgrade, now);
      upgrade.close();
    });
    // Once open, the copy needs no name: it is gone from disk as soon as the connection closes.
    return new Database(copy, { readonly: true, fileMustExist: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Empty state in memory: for tests, and anything that must leave no file behind. */
export function openMemoryDatabase(now: Date): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, now);
  return db;
}

export function openSqliteDatabase(
  path: string,
  options: { mode: OpenMode; now: Date },
): { db: Database.Database; location: string } {
  const location = resolve(path);
  const open = { write: openFile, snapshot: openSnapshot, read: openForReading }[options.mode];
  const db = open(location, options.now);
  return { db, location };
}
