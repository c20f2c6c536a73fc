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
  /** Where a mfa-bot.yml that nothing names is looked for; process.cwd() when absent. */
  cwd?: string;
  /**
   * Resolves once stdout has handed what was written to the OS. A pipe whose reader is slower than the writer
   * (`report --format html | gzip`, a parent process reading the output) keeps the rest in memory until then.
   */
  drained?: () => Promise<void>;
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
    drained: stdoutDrained,
  };
}

/** Node buffers writes to a pipe its reader has not taken yet; this waits for them to go (or for stdout to close). */
function stdoutDrained(): Promise<void> {
  const out = process.stdout;
  if (!out.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done).off('close', done).off('error', done);
      resolve();
    };
    out.on('drain', done).on('close', done).on('error', done);
  });
}

export function useColour(io: CliIo): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTty;
}
