import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { StateStoreError } from '../store/errors.js';
import { openStateStore } from '../store/open-store.js';
import type { StateStore } from '../store/store.js';
import type { CliIo } from './io.js';

/**
 * A read-only copy of the state for commands that only look (`history`, `report`): looking never creates, changes
 * or upgrades the file. Undefined, with the reason on stderr, when there is no state yet or it cannot be read
 * (the caller exits with EXIT.state).
 */
export function openStateForReading(config: Config, io: CliIo): StateStore | undefined {
  if (!config.state.dynamodbTable && !existsSync(config.state.path)) {
    io.stderr(
      `mfa-bot: no state file at ${resolve(config.state.path)} ` +
        `(state.path): the first \`mfa-bot run\` or \`serve\` creates it\n`,
    );
    return undefined;
  }
  try {
    return openStateStore(config, { mode: 'snapshot', now: io.now() });
  } catch (err) {
    if (!(err instanceof StateStoreError)) throw err;
    io.stderr(`mfa-bot: ${err.message}\n`);
    return undefined;
  }
}
