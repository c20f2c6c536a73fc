import { configPathFor } from './config-path.js';
import type { Command } from 'commander';
import type { WebClientOptions } from '@slack/web-api';
import { createAwsClients, openAwsClients, type AwsClients } from '../aws/clients.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createSlackApi, SlackConfigError } from '../slack/client.js';
import { slackErrorCode, slackErrorHint } from '../slack/errors.js';
import { createBotApp, EVENTS_PATH, HEALTH_PATH, type CreateBotAppOptions } from '../bot/create-app.js';
import { lineLogger, type BotLog } from '../bot/logger.js';
import type { BotDeps } from '../bot/deps.js';
import type { BotPorts } from '../bot/ports.js';
import { serveSettingsFromEnv } from '../bot/serve-settings.js';
import { recordCurrentAccountScan } from '../jobs/record-scan.js';
import { deleteMemberRootCredentials } from '../jobs/root-delete.js';
import { createOrganizationsClient } from '../aws/organization.js';
import { readRootAccess } from '../aws/root-features.js';
import { accountClientsResolver } from '../jobs/scan-all.js';
import { scheduledJobs } from '../jobs/scheduled-jobs.js';
import { startScheduler, type Scheduler } from '../jobs/scheduler.js';
import { StorePorts } from '../bot/store-ports.js';
import { openStateStore } from '../store/open-store.js';
import { SqliteStateStore } from '../store/sqlite/sqlite-store.js';
import type { StateStore } from '../store/store.js';
import { EXIT } from './exit-codes.js';
import { requireDigestChannel } from './settings.js';
import type { CliIo } from './io.js';

export interface StartServerOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  log: BotLog;
  now?: () => Date;
  /** The AWS clients to scan with; the SDK's default chain when absent. */
  aws?: AwsClients;
  /**
   * Ready-made ports (`serve` gives StorePorts over the state file); otherwise StorePorts over an in-memory store,
   * filled by a scan of the current account at start.
   */
  ports?: BotPorts;
  /** HTTP only: the interface to listen on (every interface by default). */
  host?: string;
  /** Deletes member root credentials for the "Delete root credentials" button (management account clients). */
  rootCredentials?: BotDeps['rootCredentials'];
  /** Reads the organization's root access, for `/mfa-check root` (with rootCredentials). */
  rootAccess?: BotDeps['rootAccess'];
  clientOptions?: Partial<WebClientOptions>;
  socket?: CreateBotAppOptions['socket'];
}

export interface ServerHandle {
  transport: 'socket' | 'http' | 'lambda';
  /** HTTP only: the port actually listened on (PORT=0 picks a free one). */
  port?: number;
  ports: BotPorts;
  /** The in-memory state behind the ports, when none were given; closed by stop(). */
  store?: StateStore;
  /** Settles when the first scan has finished (at once with ready-made ports); never rejects. */
  firstScan: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the bot: reads the Slack settings from the environment (failing fast and naming what is missing),
 * checks the bot token, starts the first scan in the background and begins to listen.
 */
export async function startServer(options: StartServerOptions): Promise<ServerHandle> {
  const { config, log } = options;
  const now = options.now ?? (() => new Date());
  const settings = serveSettingsFromEnv(options.env);
  const abort = new AbortController();

  let ports = options.ports;
  let store: StateStore | undefined;
  let refresh: (() => Promise<void>) | undefined;
  if (!ports) {
    const aws = options.aws ?? createAwsClients();
    const memory = SqliteStateStore.inMemory(now());
    let scannedAccount: string | undefined;
    store = memory;
    ports = new StorePorts({
      store: memory,
      config,
      now,
      clientsFor: (id) => (id === scannedAccount ? aws : undefined),
    });
    const slack = createSlackApi(
      { token: settings.botToken, apiUrl: settings.apiUrl },
      { log: (line) => log.warn(line), debug: (line) => log.debug(line) },
    );
    refresh = async () => {
      const started = Date.now();
      const scan = await recordCurrentAccountScan({ aws, slack, config, store: memory, now, signal: abort.signal });
      scannedAccount = scan.accounts[0]?.accountId;
      log.info(`scan of ${scannedAccount} done in ${Date.now() - started} ms`);
    };
  }

  const bot = await createBotApp({
    settings,
    deps: {
      ports,
      config,
      now,
      log,
      ...(options.rootCredentials ? { rootCredentials: options.rootCredentials } : {}),
      ...(options.rootAccess ? { rootAccess: options.rootAccess } : {}),
    },
    ...(options.host ? { host: options.host } : {}),
    ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}),
    ...(options.socket ? { socket: options.socket } : {}),
  }).catch(async (err: unknown) => {
    await store?.close();
    // Bolt checks the token with auth.test before anything listens.
    const code = slackErrorCode(err);
    if ((err as { data?: { error?: string } }).data?.error === undefined)
      throw new SlackConfigError(`cannot reach Slack at ${settings.apiUrl}: ${code}`);
    const hint = slackErrorHint(code);
    throw new SlackConfigError(`Slack rejected the bot token: ${code}${hint ? ` (${hint})` : ''}`);
  });
  const firstScan = refresh
    ? refresh().catch((err: unknown) => {
        if (!abort.signal.aborted)
          log.error(`the first scan failed: ${err instanceof Error ? err.message : String(err)}`);
      })
    : Promise.resolve();
  if (bot.transport === 'socket') log.info('connecting to Slack in Socket Mode');
  let port: number | undefined;
  try {
    ({ port } = await bot.start());
  } catch (err) {
    abort.abort();
    await firstScan;
    await store?.close();
    const code = slackErrorCode(err);
    if (bot.transport === 'socket' && (err as { data?: { error?: string } }).data?.error !== undefined) {
      throw new SlackConfigError(
        `Slack refused SLACK_APP_TOKEN: ${code} (copy the app-level token ` +
          `with connections:write from the app's Basic Information page)`,
      );
    }
    throw err;
  }
  if (bot.transport === 'socket') log.info('connected to Slack in Socket Mode');
  else
    log.info(
      `listening on ${options.host ?? '0.0.0.0'}:${port}: Slack requests ` +
        `at POST ${EVENTS_PATH}, health check at GET ${HEALTH_PATH}`,
    );

  return {
    transport: bot.transport,
    ...(port !== undefined ? { port } : {}),
    ports,
    ...(store ? { store } : {}),
    firstScan,
    async stop() {
      abort.abort();
      await bot.stop();
      await firstScan;
      await store?.close();
    },
  };
}

interface ServeFlags {
  config?: string;
  profile?: string;
  region?: string;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * How long `serve` waits, after SIGTERM, for the run in progress to wind down. The fan-out stops at once
 * (nothing new is claimed or sent); what is on the wire finishes within the request timeout; a scan in
 * progress is not cut short. Past this, serve exits anyway: a send left without an outcome is settled by
 * the next run's claim recovery, as after a crash.
 */
export const STOP_GRACE_MS = 10_000;

/** Waits for `work`, at most `ms`; says whether it finished. */
async function within(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** `mfa-bot serve`: the bot people talk to, until SIGINT or SIGTERM. */
export function registerServe(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description(
      'run the Slack bot: /mfa-check, the reminder buttons and App Home, over ' +
        'Socket Mode (SLACK_APP_TOKEN) or HTTP (SLACK_SIGNING_SECRET, PORT)',
    )
    .option('--config <file>', 'config file (YAML); default $MFA_BOT_CONFIG')
    .option('--profile <name>', 'AWS shared-config profile to use')
    .option('--region <region>', 'AWS region for the API endpoints')
    .action(async (flags: ServeFlags) => {
      const configPath = configPathFor(flags.config, io);
      const config = loadConfig(configPath);
      const log = lineLogger((line) => io.stderr(line), io.env.LOG_LEVEL === 'debug' ? 'debug' : 'info', io.now);
      const aws = await openAwsClients({ profile: flags.profile, region: flags.region });
      const settings = serveSettingsFromEnv(io.env);
      // The scheduled scans post their digest there.
      requireDigestChannel(config, configPath);
      // Throws StateStoreError naming the file when it is corrupt or cannot be written: never replaced silently.
      const store = openStateStore(config, { mode: 'write', now: io.now() });
      let scheduler: Scheduler | undefined;
      const ports = new StorePorts({
        store,
        config,
        now: io.now,
        clientsFor: accountClientsResolver(aws, config, { profile: flags.profile, region: flags.region }),
        nextScanAt: () => scheduler?.nextRuns().scan,
        // `/mfa-check scan` goes through the scheduler, so it never overlaps a scheduled run.
        runScan: () =>
          scheduler ? scheduler.trigger('scan') : Promise.reject(new Error('the scheduler is not running yet')),
      });
      const awsOptions = { profile: flags.profile, region: flags.region };
      // With an organization, the "Delete root credentials" button works from the management account's clients.
      const org = createOrganizationsClient(awsOptions);
      const root = config.organization
        ? {
            rootCredentials: (accountId: string, approver: string) =>
              deleteMemberRootCredentials({ aws, org, config, awsOptions, now: io.now, store }, accountId, approver),
            rootAccess: () => readRootAccess(aws.iam, org),
          }
        : {};
      const handle = await startServer({
        config,
        env: io.env,
        log,
        now: io.now,
        aws,
        ports,
        ...root,
      }).catch(async (err: unknown) => {
        await store.close();
        throw err;
      });
      const slack = createSlackApi(
        { token: settings.botToken, apiUrl: settings.apiUrl },
        { log: (line) => log.warn(line), debug: (line) => log.debug(line) },
      );
      const jobLog = (line: string) => log.info(line);
      const stopping = new AbortController();
      scheduler = startScheduler({
        schedule: config.schedule,
        jobs: scheduledJobs({ aws, slack, config, store, now: io.now, log: jobLog, signal: stopping.signal }),
        log: jobLog,
      });
      // A first start has nothing to answer /mfa-check from: scan now rather than at the first scheduled time.
      if (!(await store.latestScan())) {
        log.info('no scan in the state file yet: scanning now');
        void scheduler.trigger('scan');
      }

      const listeners = new Map<string, () => void>();
      const signal = await new Promise<string>((resolve) => {
        for (const s of SIGNALS) {
          listeners.set(s, () => resolve(s));
          process.once(s, listeners.get(s)!);
        }
      });
      for (const [s, listener] of listeners) process.off(s, listener);
      log.info(`${signal}: stopping: no new sends; the run in progress gets up to ${STOP_GRACE_MS / 1000} s`);
      stopping.abort();
      if (!(await within(scheduler.stop(), STOP_GRACE_MS))) {
        log.warn(
          `the run in progress did not finish within ${STOP_GRACE_MS / 1000} s: ` +
            'exiting anyway; a send it left without an outcome is settled by the next run',
        );
      }
      await handle.stop();
      await store.close();
      log.info('stopped');
      setExit(EXIT.ok);
    });
}
