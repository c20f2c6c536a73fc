import { createHmac } from 'node:crypto';

/** Slack's request signature: v0=HMAC-SHA256(secret, `v0:${timestamp}:${rawBody}`), hex. */
export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  /** Sign with this secret instead (a wrong one makes a bad signature). */
  secret?: string;
  retryNum?: number;
  retryReason?: string;
}

export type Body = { form: Record<string, string> } | { json: unknown };

export function encodeBody(body: Body): { raw: string; contentType: string } {
  if ('form' in body)
    return { raw: new URLSearchParams(body.form).toString(), contentType: 'application/x-www-form-urlencoded' };
  return { raw: JSON.stringify(body.json), contentType: 'application/json' };
}

/** POSTs a body to the bot exactly as Slack would: signed, timestamped, with retry headers when asked. */
export async function signedPost(
  url: string,
  secret: string,
  body: Body,
  options: SignedPostOptions = {},
): Promise<Response> {
  const { raw, contentType } = encodeBody(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(options.secret ?? secret, timestamp, raw),
  };
  if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['x-slack-retry-reason'] = options.retryReason;
  return fetch(url, { method: 'POST', headers, body: raw });
}
