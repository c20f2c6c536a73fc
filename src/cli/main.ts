import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { InputError } from '../jobs/input-error.js';
import { AwsSetupError } from '../aws/setup-error.js';
import { EXIT } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { DeliveryError } from '../jobs/delivery-error.js';
import { SlackConfigError } from '../slack/config-error.js';
import { StateStoreError } from '../store/errors.js';

const VERSION = '0.1.0';

type Register = (program: Command, io: CliIo, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded only when needed: `scan`, `run`, `serve` and `doctor` bring the AWS SDK and Bolt,
 * which cost about a second and 100 MB to load, and `report` or `history` use neither.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  scan: async () => (await import('./scan-command.js')).registerScan,
  run: async () => (await import('./run-command.js')).registerRun,
  serve: async () => (await import('./serve-command.js')).registerServe,
  history: async () => (await import('./history-command.js')).registerHistory,
  report: async () => (await import('./report-command.js')).registerReport,
  doctor: async () => (await import('./doctor-command.js')).registerDoctor,
};

/**
 * The commands to register: the one named first on the command line, or every command when there is none
 * (--help, --version, `help`, a misspelt name), so the help lists them all and commander can suggest a name.
 */
function commandsFor(argv: string[]): Array<() => Promise<Register>> {
  const named = argv[2];
  return named !== undefined && Object.hasOwn(COMMANDS, named) ? [COMMANDS[named]!] : Object.values(COMMANDS);
}

/** Runs the CLI and returns its exit code; nothing here calls process.exit, so tests can drive it. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('mfa-bot')
    .description('Gets every AWS console login behind MFA: scans, reports, and nudges people in Slack.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  for (const load of commandsFor(argv)) (await load())(program, io, (c) => (code = c));

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
