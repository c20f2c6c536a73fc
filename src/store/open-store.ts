import type { Config } from '../config/schema.js';
import type { OpenMode } from './sqlite/open-database.js';
import { SqliteStateStore } from './sqlite/sqlite-store.js';
import type { StateStore } from './store.js';

export type { OpenMode };

/**
 * The configured state store. `snapshot` gives a throwaway in-memory copy: what a dry run or `history`
 * needs, reading the real state without ever creating, upgrading or changing the file.
 */
export function openStateStore(config: Pick<Config, 'state'>, options: { mode: OpenMode; now: Date }): StateStore {
  return SqliteStateStore.open(config.state.path, options);
}
