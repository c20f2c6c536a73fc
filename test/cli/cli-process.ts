import { execFile, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliRun } from '../support/cli.js';

const MAIN = pathToFileURL(resolve('src/cli/main.ts')).href;

/** Root ignores file modes: so that chmod binds, root runs the CLI without CAP_DAC_OVERRIDE, as anyone else would. */
export const IS_ROOT = process.getuid?.() === 0;
/**
 * Whether file modes bind the CLI's process here: always for other users; for root, when setpriv can drop the override.
 */
export const MODES_BIND = !IS_ROOT || spawnSync('setpriv', ['--version']).status === 0;

/**
 * `mfa-bot ARGS` in its own process, held to file permissions like an ordinary user: for the paths that
 * need the operating system to refuse something (a read-only state file or directory).
 */
export function runCliProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const node = [
    process.execPath,
    '--import',
    'tsx',
    '--input-type=module',
    '-e',
    `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(process.argv);`,
    'mfa-bot',
    ...args,
  ];
  const [file, ...argv] = IS_ROOT ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--', ...node] : node;
  const childEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...env,
  };
  return new Promise((done) => {
    execFile(file!, argv, { cwd: process.cwd(), env: childEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number) : 0;
      done({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}
