import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { SlackApi } from './api.js';
import { GATED_CLIENT_OPTIONS } from './rate-limit.js';

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export class SlackConfigError extends Error {
  override name = 'SlackConfigError';
}

export interface SlackSettings {
  token: string;
  apiUrl: string;
}

/** Slack settings come from the environment only, so tokens never sit in a config file. */
export function slackSettingsFromEnv(env: NodeJS.ProcessEnv): SlackSettings | undefined {
  const token = env.SLACK_BOT_TOKEN?.trim();
  if (!token) return undefined;
  if (!token.startsWith('xoxb-')) throw new SlackConfigError('SLACK_BOT_TOKEN must be a bot token (it starts with xoxb-)');
  const apiUrl = env.SLACK_API_URL?.trim() || DEFAULT_SLACK_API_URL;
  if (!/^https?:\/\/[^\s]+\/api\/$/.test(apiUrl)) throw new SlackConfigError(`SLACK_API_URL must be a URL ending in /api/, got "${apiUrl}"`);
  return { token, apiUrl };
}

/** A logger that passes the WebClient's warnings on without ever printing request bodies (which carry the token). */
function quietLogger(sink: (line: string) => void): Logger {
  let level = LogLevel.WARN;
  const write = (lvl: string) => (...msg: unknown[]) => sink(`slack ${lvl}: ${msg.map(String).join(' ').replace(/xox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]')}`);
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

export function createSlackApi(settings: SlackSettings, options: { log?: (line: string) => void; retryMinMs?: number } = {}): SlackApi {
  return new SlackApi(createSlackClient(settings, options));
}

export function createSlackClient(settings: SlackSettings, options: { log?: (line: string) => void; retryMinMs?: number } = {}): WebClient {
  return new WebClient(settings.token, {
    slackApiUrl: settings.apiUrl,
    logger: quietLogger(options.log ?? (() => {})),
    // 429s go to the RateLimitGate (see SlackApi); these retries are for 5xx answers and network blips only.
    retryConfig: { retries: 5, factor: 2, minTimeout: options.retryMinMs ?? 250, maxTimeout: 10_000, randomize: true },
    ...GATED_CLIENT_OPTIONS,
    timeout: 30_000,
  });
}
