import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { StateStoreError } from '../store/errors.js';
import { SqliteStateStore } from '../store/sqlite/sqlite-store.js';
import type { StateStore } from '../store/store.js';
import type { CliIo } from './io.js';

/**
 * The state, read-only, for commands that only look (`history`, `report`): looking never creates, changes
 * or upgrades the file. Undefined, with the reason on stderr, when there is no state yet or it cannot be read
 * (the caller exits with EXIT.state).
 */
export async function openStateForReading(config: Config, io: CliIo): Promise<StateStore | undefined> {
  if (!config.state.dynamodbTable && !existsSync(config.state.path)) {
    io.stderr(
      `mfa-bot: no state file at ${resolve(config.state.path)} ` +
        `(state.path): the first \`mfa-bot run\` or \`serve\` creates it\n`,
    );
    return undefined;
  }
  try {
    const options = { mode: 'read', now: io.now() } as const;
    // The DynamoDB store's module loads the AWS SDK: only when the state is in a table.
    if (config.state.dynamodbTable === undefined) return SqliteStateStore.open(config.state.path, options);
    return (await import('../store/open-store.js')).openStateStore(config, options);
  } catch (err) {
    if (!(err instanceof StateStoreError)) throw err;
    io.stderr(`mfa-bot: ${err.message}\n`);
    return undefined;
  }
}
