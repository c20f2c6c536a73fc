import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StateStoreError } from '../errors.js';
import { currentVersion, LATEST_VERSION } from './migrations.js';
import { guard, openImage, proveWritable } from './open-database.js';

export type StateFileInspection =
  /** No file yet: the first run creates it, in `directory` (or the directories up to it), which can be written. */
  | { kind: 'missing'; location: string; directory: string }
  | { kind: 'present'; location: string; version: number; latest: number };

/** The nearest directory on the way up that exists: where the first run starts creating. */
function existingAncestor(path: string): string {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * What a run would find at `path`, leaving nothing behind: a missing file is not created (nor its directory),
 * an old one is not upgraded. A present file is read as an in-memory copy (its checks and schema version), then
 * opened as the bot opens it for one write that is rolled back. Problems throw StateStoreError, as at start.
 */
export function inspectStateFile(path: string): StateFileInspection {
  const location = resolve(path);
  if (!existsSync(location)) {
    const directory = existingAncestor(location);
    guard(location, undefined, () => {
      if (!statSync(directory).isDirectory())
        throw new StateStoreError(location, `cannot be created: ${directory} is not a directory`);
      try {
        accessSync(directory, constants.W_OK);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        throw new StateStoreError(location, `cannot be created: the directory ${directory} is not writable (${code})`);
      }
    });
    return { kind: 'missing', location, directory };
  }
  guard(location, undefined, () => {
    if (statSync(location).isDirectory()) throw new StateStoreError(location, 'is a directory, not a file');
  });
  const image = openImage(location);
  const version = currentVersion(image);
  image.close();
  const db = guard(location, undefined, () => new Database(location, { fileMustExist: true }));
  guard(location, db, () => {
    db.pragma('busy_timeout = 5000');
    proveWritable(db);
  });
  db.close();
  return { kind: 'present', location, version, latest: LATEST_VERSION };
}
