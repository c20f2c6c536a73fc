import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';
import { suggestKey } from './suggest.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? `${key}: ` : '';
    const named = issue.keys.map((k) => {
      const near = suggestKey(issue.path, k);
      return `"${k}"${near ? ` (did you mean "${near}"?)` : ''}`;
    });
    return `${where}unknown key${issue.keys.length > 1 ? 's' : ''} ${named.join(', ')}`;
  }
  return `${key}: ${issue.message}`;
}

/** Validates a parsed config object; every problem is named by its key. */
export function parseConfig(raw: unknown, source = 'config'): Config {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(describeIssue);
    throw new ConfigError(`${source}: ${problems.join('; ')}`);
  }
  return result.data;
}

/** The YAML of a config file as plain data, not yet validated; a syntax error names the line. */
export function readConfigYaml(text: string, source = 'config'): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw new ConfigError(`${source}${line ? ` line ${line}` : ''}: invalid YAML: ${first.message.split('\n')[0]}`);
  }
  return doc.toJS();
}

export function parseConfigText(text: string, source = 'config'): Config {
  return parseConfig(readConfigYaml(text, source), source);
}

/**
 * A config file in `cwd` under the usual name, which only --config or MFA_BOT_CONFIG would make mfa-bot read: said
 * out loud, since a user who just wrote it expects it to count.
 */
export function unusedConfigNearby(cwd: string): string | undefined {
  return ['mfa-bot.yml', 'mfa-bot.yaml'].find((f) => existsSync(resolve(cwd, f)));
}

export function unusedConfigWarning(nearby: string): string {
  return (
    `${nearby} is here, but neither --config nor MFA_BOT_CONFIG names it, so it is not used and every default ` +
    `applies: pass --config ${nearby}, or set MFA_BOT_CONFIG=./${nearby}`
  );
}

/** The config file comes from --config, else MFA_BOT_CONFIG; without either, every default applies. */
export function loadConfig(path: string | undefined = process.env.MFA_BOT_CONFIG): Config {
  if (!path) return parseConfig({});
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${path}: cannot read config file${code ? ` (${code})` : ''}`);
  }
  return parseConfigText(text, path);
}
