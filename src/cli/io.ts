export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour and progress lines only on a terminal. */
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  /** Terminal width when stdout is a terminal. */
  columns?: number;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** Where relative paths and a stray mfa-bot.yml are looked for; process.cwd() when absent. */
  cwd?: string;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdoutIsTty: Boolean(process.stdout.isTTY),
    stderrIsTty: Boolean(process.stderr.isTTY),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    env: process.env,
    now: () => new Date(),
  };
}

export function useColour(io: CliIo): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTty;
}
