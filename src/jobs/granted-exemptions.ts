import { existsSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { asConfigExemption, type GrantedExemption } from '../domain/exemptions.js';
import { openStateStore } from '../store/open-store.js';
import type { StateStore } from '../store/store.js';

/** The config with the exemptions approvers granted in Slack added to its own: scans apply both alike. */
export function withGranted(config: Config, granted: readonly GrantedExemption[]): Config {
  if (granted.length === 0) return config;
  return { ...config, exemptions: [...config.exemptions, ...granted.map(asConfigExemption)] };
}

export async function withStoreExemptions(config: Config, store: StateStore): Promise<Config> {
  return withGranted(config, await store.grantedExemptions());
}

/**
 * For `scan`, which keeps no state: the exemptions granted in Slack, read from the state file (or table) when there
 * is one. A state that cannot be read is reported through `warn` and the scan goes on with the config's alone.
 */
export async function readGrantedExemptions(
  config: Config,
  now: Date,
  warn: (line: string) => void,
): Promise<GrantedExemption[]> {
  if (config.state.dynamodbTable === undefined && !existsSync(config.state.path)) return [];
  let store: StateStore | undefined;
  try {
    store = openStateStore(config, { mode: 'snapshot', now });
    return await store.grantedExemptions();
  } catch (err) {
    warn(
      `exemptions granted in Slack were not read from ${config.state.dynamodbTable ?? config.state.path}: ` +
        `${(err as Error).message}; only the config's exemptions apply`,
    );
    return [];
  } finally {
    await store?.close();
  }
}
