import { Command, CommanderError } from 'commander';
import { registerHistory } from '../../src/cli/history-command.js';
import type { CliIo } from '../../src/cli/io.js';
import type { CliRun } from '../support/cli.js';

/** `mfa-bot history …` in-process, with the command registered the way main.ts registers the others. */
export async function runHistory(args: string[], opts: { env?: NodeJS.ProcessEnv; now?: Date } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutIsTty: false,
    stderrIsTty: false,
    env: { ...opts.env },
    now: () => opts.now ?? new Date('2030-03-04T10:00:00Z'),
  };
  const program = new Command('mfa-bot').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerHistory(program, io, (c) => (code = c));
  try {
    await program.parseAsync(['node', 'mfa-bot', ...args]);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    code = 2;
  }
  return { code, stdout, stderr };
}
