/** The Slack error code of a failed Web API call (`channel_not_found`, `invalid_auth`, ...), or a short description. */
export function slackErrorCode(err: unknown): string {
  const e = err as { data?: { error?: string }; code?: string; statusCode?: number; message?: string };
  if (e?.data?.error) return e.data.error;
  if (e?.code === 'slack_webapi_http_error' && e.statusCode) return `http_${e.statusCode}`;
  if (e?.code === 'slack_webapi_request_error') return 'request_failed';
  if (e?.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  return e?.message?.split('\n')[0] ?? String(err);
}

const HINTS: Record<string, string> = {
  not_authed: 'set SLACK_BOT_TOKEN',
  invalid_auth: 'SLACK_BOT_TOKEN is not valid for this workspace: copy the Bot User OAuth Token again',
  token_revoked: 'the app was uninstalled or its token revoked: reinstall it and update SLACK_BOT_TOKEN',
  account_inactive: 'the app was uninstalled or its token revoked: reinstall it and update SLACK_BOT_TOKEN',
  channel_not_found: 'check slack.digestChannel (a channel ID such as C0123456789, not a name)',
  not_in_channel: 'invite the bot to the channel: /invite @mfa-bot',
  is_archived: 'the channel is archived: pick another slack.digestChannel',
  missing_scope: 'reinstall the app from manifest.yml so it has every scope it needs',
  user_not_found: 'the mapped Slack user does not exist: fix the identity mapping',
  cannot_dm_bot: 'the mapped Slack user is a bot: fix the identity mapping',
};

export function slackErrorHint(code: string): string | undefined {
  return HINTS[code];
}

/**
 * Why a request got no answer from Slack: the network error's own code (ECONNREFUSED, ENOTFOUND, a timeout), else an
 * HTTP status.
 */
export function unreachableReason(err: unknown): string {
  const e = err as {
    code?: string;
    statusCode?: number;
    original?: { code?: string; cause?: { code?: string }; message?: string };
  };
  if (e?.code === 'slack_webapi_http_error' && e.statusCode) return `HTTP ${e.statusCode}`;
  const o = e?.original;
  return o?.code ?? o?.cause?.code ?? o?.message ?? slackErrorCode(err);
}
