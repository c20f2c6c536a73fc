import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, parseConfig, readConfigYaml, unusedConfigNearby } from '../../config/load.js';
import { parseConfigLeniently } from '../../config/lenient.js';
import { keyRenames } from '../../config/suggest.js';
import type { Config } from '../../config/schema.js';
import { fail, ok, type DoctorCheck } from './check.js';

export interface ConfigLocation {
  path?: string;
  /** Where the path came from: `--config` or `MFA_BOT_CONFIG`. */
  from?: string;
}

/**
 * The config file: where it was found and whether it is valid. With mistakes, the other checks go on with
 * the keys in question left at their defaults, so one typo does not hide every other problem.
 */
export interface ConfigCheck {
  line: DoctorCheck;
  config: Config;
  /** The `schedule` section as written, for the schedule lines. */
  schedule?: Record<string, unknown>;
}

export function checkConfig(where: ConfigLocation, cwd: string): ConfigCheck {
  const name = 'config file';
  if (!where.path) {
    const nearby = unusedConfigNearby(cwd);
    const config = parseConfig({});
    if (nearby)
      return {
        config,
        line: fail(
          'config',
          name,
          `${nearby} is here, but neither --config nor MFA_BOT_CONFIG names it, so it is not used`,
          `set MFA_BOT_CONFIG=./${nearby} in .env, or pass --config ${nearby}`,
        ),
      };
    return {
      config,
      line: ok('config', name, 'no config file (--config and MFA_BOT_CONFIG are unset): every default applies'),
    };
  }
  const found = `${resolve(cwd, where.path)} (from ${where.from ?? '--config'})`;
  let text: string;
  try {
    text = readFileSync(resolve(cwd, where.path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return {
      config: parseConfig({}),
      line: fail(
        'config',
        name,
        `${found} cannot be read (${code})`,
        'copy mfa-bot.example.yml to that path, or fix the path',
      ),
    };
  }
  let raw: { schedule?: unknown } | null;
  try {
    raw = readConfigYaml(text, resolve(cwd, where.path)) as typeof raw;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return {
      config: parseConfig({}),
      line: fail('config', name, `${err.message} (from ${where.from ?? '--config'})`, 'fix the YAML at that line'),
    };
  }
  const written = raw?.schedule;
  const schedule = written && typeof written === 'object' ? { schedule: written as Record<string, unknown> } : {};
  try {
    return { config: parseConfig(raw, where.path), line: ok('config', name, `${found}: valid`), ...schedule };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const { config, dropped } = parseConfigLeniently(raw);
    const renames = keyRenames(raw);
    const fix = `${renames.length ? `rename ${renames.join(', ')}; ` : ''}fix each key named (README: Configuration)`;
    return {
      config,
      ...schedule,
      line: fail(
        'config',
        name,
        `${found}: ${err.message.slice(where.path.length + 2)} ` +
          `(the checks below use the defaults for ${dropped.join(', ')})`,
        fix,
      ),
    };
  }
}
