import type { WebClient } from '@slack/web-api';
import type { Config } from '../../config/schema.js';
import { createSlackClient, SlackConfigError, slackSettingsFromEnv, type SlackSettings } from '../../slack/client.js';
import { slackErrorCode, slackErrorHint, unreachableReason } from '../../slack/errors.js';
import { requiredBotScopes } from '../../slack/scopes.js';
import { fail, ok, skip, type DoctorCheck } from './check.js';

const REINSTALL = 'add them to the app (OAuth & Permissions; manifest.yml lists every scope) and reinstall it';

/** The Slack lines: the bot token, its scopes, the channels, and how `serve` receives Slack's requests. */
export async function checkSlack(config: Config, env: NodeJS.ProcessEnv): Promise<DoctorCheck[]> {
  let settings: SlackSettings | undefined;
  try {
    settings = slackSettingsFromEnv(env);
  } catch (err) {
    if (!(err instanceof SlackConfigError)) throw err;
    return [fail('slack', 'SLACK_BOT_TOKEN', err.message, 'fix the variable named, in the environment or .env')];
  }
  if (!settings)
    return [
      fail(
        'slack',
        'SLACK_BOT_TOKEN',
        'not set',
        'put the Bot User OAuth Token (xoxb-…, OAuth & Permissions) in .env as SLACK_BOT_TOKEN',
      ),
      ...(await transportLines(env, undefined)),
    ];
  const client = createSlackClient(settings, { retries: 0 });
  const lines: DoctorCheck[] = [];
  let auth: Awaited<ReturnType<WebClient['auth']['test']>>;
  try {
    auth = await client.auth.test();
  } catch (err) {
    return [
      authFailure(err, settings.apiUrl),
      skip('slack', 'the rest of Slack', 'scopes and channels not checked: the token must work first'),
      // The app-level token is a token of its own: it can be checked anyway.
      ...(await transportLines(env, settings)),
    ];
  }
  lines.push(
    ok('slack', 'auth.test', `the token is the bot ${auth.user} (${auth.user_id}) in ${auth.team} (${auth.url})`),
  );
  lines.push(scopeLine(auth.response_metadata?.scopes));
  lines.push(...(await channelLines(client, config)));
  lines.push(...(await transportLines(env, settings)));
  return lines;
}

function authFailure(err: unknown, apiUrl: string): DoctorCheck {
  const code = slackErrorCode(err);
  if ((err as { data?: unknown }).data === undefined)
    return fail(
      'slack',
      'auth.test',
      `cannot reach Slack at ${apiUrl}: ${unreachableReason(err)}`,
      'check the network, the proxy and SLACK_API_URL',
    );
  return fail(
    'slack',
    'auth.test',
    `Slack refused SLACK_BOT_TOKEN: ${code}`,
    slackErrorHint(code) ?? 'copy the Bot User OAuth Token again',
  );
}

function scopeLine(granted: string[] | undefined): DoctorCheck {
  const name = 'scopes';
  if (!granted) return skip('slack', name, 'Slack did not say which scopes the token has (no x-oauth-scopes header)');
  const missing = requiredBotScopes().filter((s) => !granted.includes(s));
  if (missing.length > 0)
    return fail('slack', name, `the token lacks ${missing.join(', ')} (manifest.yml asks for them)`, REINSTALL);
  return ok('slack', name, `the token has the ${requiredBotScopes().length} scopes manifest.yml asks for`);
}

/** The digest channel, the security channel and the routes' channels: each must exist and have the bot in it. */
async function channelLines(client: WebClient, config: Config): Promise<DoctorCheck[]> {
  const { slack } = config;
  const wanted = new Map<string, string>();
  if (slack.digestChannel) wanted.set(slack.digestChannel, 'slack.digestChannel');
  if (slack.securityChannel && !wanted.has(slack.securityChannel))
    wanted.set(slack.securityChannel, 'slack.securityChannel');
  for (const [i, r] of slack.routes.entries())
    if (!wanted.has(r.channel)) wanted.set(r.channel, `slack.routes.${i}.channel`);
  const lines: DoctorCheck[] = [];
  if (!slack.digestChannel)
    lines.push(
      fail(
        'slack',
        'slack.digestChannel',
        'not set: run has nowhere to post the digest',
        'set it in the config to a channel ID such as C0123456789, and invite the bot there',
      ),
    );
  for (const [channel, key] of wanted) lines.push(await channelLine(client, channel, key));
  return lines;
}

async function channelLine(client: WebClient, channel: string, key: string): Promise<DoctorCheck> {
  const invite = `invite the bot: /invite @mfa-bot in that channel`;
  try {
    const info = await client.conversations.info({ channel });
    const c = info.channel;
    const label = `#${c?.name ?? '?'} (${channel})`;
    if (c?.is_archived)
      return fail('slack', key, `${label} is archived: nothing can be posted there`, `pick another channel for ${key}`);
    if (!c?.is_member) return fail('slack', key, `${label}: the bot is not a member, so it cannot post there`, invite);
    return ok('slack', key, `${label}: the bot is a member and can post there`);
  } catch (err) {
    const code = slackErrorCode(err);
    if (code === 'channel_not_found')
      return fail(
        'slack',
        key,
        `${channel} does not exist, or is a private channel the bot is not in (channel_not_found)`,
        `check the ID (the channel's details show it), then ${invite}`,
      );
    if (code === 'missing_scope') {
      const needed = (err as { data?: { needed?: string } }).data?.needed ?? 'channels:read or groups:read';
      return fail('slack', key, `${channel} cannot be checked: the token lacks ${needed}`, REINSTALL);
    }
    return fail('slack', key, `${channel} cannot be checked: ${code}`, slackErrorHint(code) ?? 'try again');
  }
}

const SIGNING_SECRET = /^[0-9a-f]{32}$/i;

/** Socket Mode (SLACK_APP_TOKEN, proven by opening a connection URL) or HTTP (SLACK_SIGNING_SECRET, its form). */
async function transportLines(env: NodeJS.ProcessEnv, settings: SlackSettings | undefined): Promise<DoctorCheck[]> {
  const appToken = env.SLACK_APP_TOKEN?.trim();
  if (appToken) {
    const name = 'SLACK_APP_TOKEN';
    if (!appToken.startsWith('xapp-'))
      return [
        fail(
          'slack',
          name,
          'is not an app-level token (it must start with xapp-)',
          'generate one under Basic Information → App-Level Tokens, with connections:write',
        ),
      ];
    if (!settings) return [skip('slack', name, 'not checked: SLACK_BOT_TOKEN must be set first')];
    try {
      await createSlackClient({ ...settings, token: appToken }, { retries: 0 }).apps.connections.open({});
      return [ok('slack', name, 'Socket Mode: the app-level token opens a connection (apps.connections.open)')];
    } catch (err) {
      const code = slackErrorCode(err);
      return [
        fail(
          'slack',
          name,
          `Socket Mode cannot connect: Slack answered ${code}`,
          'generate an app-level token with connections:write (Basic Information → App-Level Tokens), ' +
            'and turn Socket Mode on for the app',
        ),
      ];
    }
  }
  const secret = env.SLACK_SIGNING_SECRET?.trim();
  const name = 'SLACK_SIGNING_SECRET';
  if (!secret)
    return [
      skip('slack', 'SLACK_APP_TOKEN / SLACK_SIGNING_SECRET', 'neither is set: serve cannot start (run needs neither)'),
    ];
  if (!SIGNING_SECRET.test(secret))
    return [
      fail(
        'slack',
        name,
        `is not a Slack signing secret (32 hexadecimal digits; this one has ${secret.length} characters)`,
        'copy the Signing Secret from Basic Information → App Credentials',
      ),
    ];
  return [
    ok('slack', name, 'HTTP: set, 32 hexadecimal digits (only a signed request from Slack proves it is the right one)'),
  ];
}
