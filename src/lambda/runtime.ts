import { createAwsClients, type AwsClients, type AwsOptions } from '../aws/clients.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { accountClientsResolver } from '../jobs/scan-all.js';
import { scheduledJobs } from '../jobs/scheduled-jobs.js';
import type { SlackApi } from '../slack/api.js';
import { createSlackApi, SlackConfigError, slackSettingsFromEnv } from '../slack/client.js';
import { lineLogger, type BotLog } from '../bot/logger.js';
import { StorePorts } from '../bot/store-ports.js';
import { openStateStore } from '../store/open-store.js';
import type { StateStore } from '../store/store.js';
import type { ChartRendering } from '../jobs/digest-chart.js';
import { lambdaChartRendering, type ChartRendererProbe } from './chart.js';
import { containerEnv } from './secrets.js';

/** What every Lambda function shares, built once per container and reused by every invocation. */
export interface LambdaRuntime {
  env: NodeJS.ProcessEnv;
  config: Config;
  aws: AwsClients;
  store: StateStore;
  slack: SlackApi;
  ports: StorePorts;
  clientsFor: (accountId: string) => Promise<AwsClients | undefined>;
  /** The options of clients made later (member accounts, root sessions); the container's defaults when absent. */
  awsOptions?: AwsOptions;
  now: () => Date;
  log: BotLog;
  /** `unavailable` when the chart renderer did not load at the cold start (src/lambda/chart.ts). */
  renderChart?: ChartRendering;
}

/** Everything a test (or another host) may supply instead of the container's own. */
export type RuntimeOverrides = Partial<Pick<LambdaRuntime, 'config' | 'aws' | 'store' | 'now' | 'log'>> & {
  env?: NodeJS.ProcessEnv;
  /** For the clients of member accounts (endpoint, attempts); the container's own come from the environment. */
  awsOptions?: AwsOptions;
  /** Whether the chart renderer loads; by default, loading its packages. */
  chartRendererProbe?: ChartRendererProbe;
};

export async function createRuntime(overrides: RuntimeOverrides = {}): Promise<LambdaRuntime> {
  const env = overrides.env ?? (await containerEnv());
  const now = overrides.now ?? (() => new Date());
  const log =
    overrides.log ?? lineLogger((line) => console.log(line), env.LOG_LEVEL === 'debug' ? 'debug' : 'info', now);
  const config = overrides.config ?? loadConfig(env.MFA_BOT_CONFIG);
  const settings = slackSettingsFromEnv(env);
  if (!settings)
    throw new SlackConfigError(
      'SLACK_BOT_TOKEN is not set: set SLACK_BOT_TOKEN_PARAM (SSM) or SLACK_BOT_TOKEN_SECRET_ARN (Secrets Manager)',
    );
  const aws = overrides.aws ?? createAwsClients();
  const store = overrides.store ?? openStateStore(config, { mode: 'write', now: now() });
  const clientsFor = accountClientsResolver(aws, config, overrides.awsOptions);
  const rendering = await lambdaChartRendering(config, log, overrides.chartRendererProbe);
  const renderChart = rendering ? { renderChart: rendering } : {};
  const slack = createSlackApi(settings, { log: (line) => log.warn(line), debug: (line) => log.debug(line) });
  // `/mfa-check scan` runs in the worker, as the scheduled scan job does.
  const runScan = () =>
    scheduledJobs({ aws, slack, config, store, now, log: (line) => log.info(line), ...renderChart }).scan();
  const ports = new StorePorts({ store, config, now, clientsFor, runScan });
  const awsOptions = overrides.awsOptions ? { awsOptions: overrides.awsOptions } : {};
  return { env, config, aws, store, slack, ports, clientsFor, now, log, ...awsOptions, ...renderChart };
}

let shared: Promise<LambdaRuntime> | undefined;

/** The container's runtime: built at the first invocation (cold start), retried if that failed. */
export function containerRuntime(): Promise<LambdaRuntime> {
  shared ??= createRuntime().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}
