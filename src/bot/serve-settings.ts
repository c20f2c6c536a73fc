import { SlackConfigError, slackSettingsFromEnv } from '../slack/client.js';

export type Transport =
  | { kind: 'socket'; appToken: string }
  | { kind: 'http'; signingSecret: string; port: number }
  /** AWS Lambda behind an API Gateway HTTP API: one request per invocation, nothing runs after the response. */
  | { kind: 'lambda'; signingSecret: string };

export interface ServeSettings {
  botToken: string;
  /** Web API base URL ending in /api/ (SLACK_API_URL; Slack's own by default). */
  apiUrl: string;
  transport: Transport;
}

export const DEFAULT_PORT = 3000;

/**
 * Socket Mode when SLACK_APP_TOKEN is set (no public URL needed); otherwise HTTP on PORT with the signing
 * secret. Secrets come from the environment only, and no error message ever repeats one.
 */
export function serveSettingsFromEnv(env: NodeJS.ProcessEnv): ServeSettings {
  const slack = slackSettingsFromEnv(env);
  if (!slack) throw new SlackConfigError('SLACK_BOT_TOKEN is not set: put it in the environment or .env');
  const appToken = env.SLACK_APP_TOKEN?.trim();
  if (appToken) {
    if (!appToken.startsWith('xapp-'))
      throw new SlackConfigError('SLACK_APP_TOKEN must be an app-level token (it starts with xapp-)');
    return { botToken: slack.token, apiUrl: slack.apiUrl, transport: { kind: 'socket', appToken } };
  }
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim();
  if (!signingSecret) {
    throw new SlackConfigError(
      'set SLACK_APP_TOKEN (xapp-…) for Socket Mode, or ' +
        'SLACK_SIGNING_SECRET (and PORT) to receive requests over HTTP',
    );
  }
  const rawPort = env.PORT?.trim() || String(DEFAULT_PORT);
  const port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new SlackConfigError(`PORT must be a TCP port number (0 to 65535), got "${rawPort}"`);
  return { botToken: slack.token, apiUrl: slack.apiUrl, transport: { kind: 'http', signingSecret, port } };
}
