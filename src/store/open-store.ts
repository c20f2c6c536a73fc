import type { Config } from '../config/schema.js';
import { DynamoStateStore } from './dynamodb/dynamodb-store.js';
import type { OpenMode } from './sqlite/open-database.js';
import { SqliteStateStore } from './sqlite/sqlite-store.js';
import type { StateStore } from './store.js';

export type { OpenMode };

/**
 * The configured state store: the DynamoDB table when `state.dynamodbTable` is set, else the SQLite file.
 * `snapshot` gives a throwaway in-memory copy of the SQLite file: what a dry run or `history` needs,
 * reading the real state without ever creating, upgrading or changing the file. A table is opened
 * read-only instead, and any write fails: a dry run plans its changes in memory.
 */
export function openStateStore(config: Pick<Config, 'state'>, options: { mode: OpenMode; now: Date }): StateStore {
  if (config.state.dynamodbTable !== undefined)
    return new DynamoStateStore({ table: config.state.dynamodbTable, readOnly: options.mode !== 'write' });
  return SqliteStateStore.open(config.state.path, options);
}
