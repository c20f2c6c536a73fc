import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, a fixed clock and the given environment. */
export async function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; now?: Date; tty?: boolean; cwd?: string } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutIsTty: opts.tty ?? false,
    stderrIsTty: opts.tty ?? false,
    env: { ...opts.env },
    now: () => opts.now ?? new Date('2026-11-23T12:00:00Z'),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  };
  const code = await main(['node', 'mfa-bot', ...args], io);
  return { code, stdout, stderr };
}
