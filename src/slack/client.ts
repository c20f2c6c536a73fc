import { SlackConfigError } from './config-error.js';
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { SlackApi } from './api.js';
import { GATED_CLIENT_OPTIONS, RateLimitGate } from './rate-limit.js';

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export { SlackConfigError } from './config-error.js';

export interface SlackSettings {
  token: string;
  apiUrl: string;
  /** How long one Web API request may take before its outcome counts as unknown (SLACK_API_TIMEOUT_MS). */
  timeoutMs?: number;
}

export const DEFAULT_SLACK_TIMEOUT_MS = 30_000;
/** A claim's lease (CLAIM_LEASE_MS, 5 minutes) must outlast one request. */
export const MAX_SLACK_TIMEOUT_MS = 120_000;

/** Slack settings come from the environment only, so tokens never sit in a config file. */
export function slackSettingsFromEnv(env: NodeJS.ProcessEnv): SlackSettings | undefined {
  const token = env.SLACK_BOT_TOKEN?.trim();
  if (!token) return undefined;
  if (!token.startsWith('xoxb-'))
    throw new SlackConfigError('SLACK_BOT_TOKEN must be a bot token (it starts with xoxb-)');
  const apiUrl = env.SLACK_API_URL?.trim() || DEFAULT_SLACK_API_URL;
  if (!/^https?:\/\/[^\s]+\/api\/$/.test(apiUrl))
    throw new SlackConfigError(`SLACK_API_URL must be a URL ending in /api/, got "${apiUrl}"`);
  const timeout = env.SLACK_API_TIMEOUT_MS?.trim();
  if (
    timeout &&
    !(Number.isInteger(Number(timeout)) && Number(timeout) > 0 && Number(timeout) <= MAX_SLACK_TIMEOUT_MS)
  ) {
    throw new SlackConfigError(
      `SLACK_API_TIMEOUT_MS must be a whole number of milliseconds from 1 to ${MAX_SLACK_TIMEOUT_MS}, got "${timeout}"`,
    );
  }
  return { token, apiUrl, ...(timeout ? { timeoutMs: Number(timeout) } : {}) };
}

/** A logger that passes the WebClient's warnings on without ever printing request bodies (which carry the token). */
function quietLogger(sink: (line: string) => void): Logger {
  let level = LogLevel.WARN;
  const write =
    (lvl: string) =>
    (...msg: unknown[]) =>
      sink(
        `slack ${lvl}: ${msg
          .map(String)
          .join(' ')
          .replace(/xox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]')}`,
      );
  return {
    debug: () => {},
    info: () => {},
    warn: write('warn'),
    error: write('error'),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

export interface SlackClientOptions {
  log?: (line: string) => void;
  retryMinMs?: number;
  /** The gate the API's calls go through (its clock, pace); a new one by default. */
  gate?: RateLimitGate;
  /** LOG_LEVEL=debug: a line per Web API call. */
  debug?: (line: string) => void;
}

export function createSlackApi(settings: SlackSettings, options: SlackClientOptions = {}): SlackApi {
  // The writer's single failure reaches its caller, which reports it: no warning line besides.
  const { log: _callerReports, debug, ...writerOptions } = options;
  return new SlackApi(
    createSlackClient(settings, options),
    options.gate ?? new RateLimitGate(),
    createSlackClient(settings, { ...writerOptions, retries: 0 }),
    debug,
  );
}

/** `retries: 0` for posts: a 5xx or a dropped connection after Slack posted must not post again. */
export function createSlackClient(
  settings: SlackSettings,
  options: SlackClientOptions & { retries?: number } = {},
): WebClient {
  return new WebClient(settings.token, {
    slackApiUrl: settings.apiUrl,
    logger: quietLogger(options.log ?? (() => {})),
    // 429s go to the RateLimitGate (see SlackApi); these retries are for 5xx answers and network blips only.
    retryConfig: {
      retries: options.retries ?? 5,
      factor: 2,
      minTimeout: options.retryMinMs ?? 250,
      maxTimeout: 10_000,
      randomize: true,
    },
    ...GATED_CLIENT_OPTIONS,
    timeout: settings.timeoutMs ?? DEFAULT_SLACK_TIMEOUT_MS,
  });
}
