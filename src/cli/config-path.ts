import { unusedConfigNearby, unusedConfigWarning } from '../config/load.js';
import type { CliIo } from './io.js';

/**
 * The config file a command reads: --config, else MFA_BOT_CONFIG. With neither, every default applies, and a
 * mfa-bot.yml in the working directory (which the set-up steps have the user write) gets one line on stderr.
 */
export function configPathFor(flag: string | undefined, io: CliIo): string | undefined {
  const path = flag ?? io.env.MFA_BOT_CONFIG;
  if (path) return path;
  const nearby = unusedConfigNearby(io.cwd ?? process.cwd());
  if (nearby) io.stderr(`mfa-bot: ${unusedConfigWarning(nearby)}\n`);
  return undefined;
}
