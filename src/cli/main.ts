import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { InputError } from '../jobs/offline-scan.js';
import { AwsSetupError } from '../aws/setup.js';
import { EXIT } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { registerDoctor } from './doctor-command.js';
import { registerHistory } from './history-command.js';
import { registerReport } from './report-command.js';
import { registerRun } from './run-command.js';
import { registerScan } from './scan-command.js';
import { registerServe } from './serve-command.js';
import { DeliveryError } from '../jobs/cycle.js';
import { SlackConfigError } from '../slack/client.js';
import { StateStoreError } from '../store/errors.js';

const VERSION = '0.1.0';

/** Runs the CLI and returns its exit code; nothing here calls process.exit, so tests can drive it. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('mfa-bot')
    .description('Gets every AWS console login behind MFA: scans, reports, and nudges people in Slack.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  registerScan(program, io, (c) => (code = c));
  registerRun(program, io, (c) => (code = c));
  registerServe(program, io, (c) => (code = c));
  registerHistory(program, io, (c) => (code = c));
  registerReport(program, io, (c) => (code = c));
  registerDoctor(program, io, (c) => (code = c));

  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help, `help` and --version exit 0 with their text on stdout; a bare `mfa-bot` is a usage error:
      // commander prints the help to stderr and asks for a failure, which for this CLI is 2.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof ConfigError || err instanceof InputError || err instanceof AwsSetupError) {
      io.stderr(`mfa-bot: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof StateStoreError) {
      io.stderr(`mfa-bot: ${err.message}\n`);
      return EXIT.state;
    }
    if (err instanceof DeliveryError || err instanceof SlackConfigError) {
      io.stderr(`mfa-bot: ${err.message}\n`);
      return EXIT.delivery;
    }
    io.stderr(`mfa-bot: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.usage;
  }
}
