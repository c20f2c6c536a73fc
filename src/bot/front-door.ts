import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The checks every request to the Slack endpoint passes before Bolt sees it, on the HTTP receiver and the
 * Lambda handler alike: the headers first (nothing of the body is read for a request that fails them),
 * then the size, then the signature over the body.
 */

/**
 * The largest body accepted. Slack's requests are small: a slash command is a few hundred bytes, and the
 * largest, a button press, carries back the message it was on (our messages stay under ~13 KB of blocks,
 * about 45 KB once JSON-escaped and form-encoded).
 */
export const MAX_BODY_BYTES = 128 * 1024;

/** Slack stamps every request; one more than five minutes off the clock, either way, is refused (replay). */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * Slack checks a slash command's certificate with an unsigned POST, `ssl_check=1&token=…` (about 40 bytes,
 * form-encoded, with no signature headers). Such a body, up to this size, is read and answered 200 by the
 * front door itself; nothing else runs for it.
 */
export const MAX_SSL_CHECK_BYTES = 1024;

/** An unsigned request that may be Slack's SSL check: its small body decides. */
export interface MaybeSslCheck {
  sslCheck: true;
}

export function isSslCheck(body: Buffer): boolean {
  return new URLSearchParams(body.toString('utf8')).get('ssl_check') === '1';
}

export interface Refusal {
  status: 400 | 401 | 413;
  /** For the log: never contains a header value. */
  reason: string;
}

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,12}$/;

export type HeaderLookup = (name: string) => string | undefined;

export interface SlackHeaders {
  signature: string;
  timestamp: string;
}

/**
 * Checks the signature headers' presence and shape, the timestamp's window and a declared Content-Length:
 * everything that can be judged without reading a byte of the body.
 */
export function checkHeaders(header: HeaderLookup, nowMs: number = Date.now()): Refusal | SlackHeaders | MaybeSslCheck {
  const length = header('content-length');
  if (length !== undefined && (!/^\d+$/.test(length) || Number(length) > MAX_BODY_BYTES)) {
    return {
      status: 413,
      reason:
        `a body of ${/^\d+$/.test(length) ? `${length} bytes` : 'unreadable length'} ` +
        `(the limit is ${MAX_BODY_BYTES})`,
    };
  }
  const signature = header('x-slack-signature');
  const timestamp = header('x-slack-request-timestamp');
  if (
    signature === undefined &&
    timestamp === undefined &&
    (header('content-type') ?? '').split(';')[0]!.trim() === 'application/x-www-form-urlencoded' &&
    length !== undefined &&
    Number(length) <= MAX_SSL_CHECK_BYTES
  ) {
    return { sslCheck: true };
  }
  if (signature === undefined || timestamp === undefined)
    return { status: 401, reason: 'no X-Slack-Signature or X-Slack-Request-Timestamp header' };
  if (!SIGNATURE.test(signature)) return { status: 401, reason: 'a malformed X-Slack-Signature header' };
  if (!TIMESTAMP.test(timestamp)) return { status: 401, reason: 'a malformed X-Slack-Request-Timestamp header' };
  const skew = Number(timestamp) - Math.floor(nowMs / 1000);
  if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
    return {
      status: 401,
      reason:
        `a timestamp ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} ` +
        `the clock (at most ${MAX_CLOCK_SKEW_SECONDS} s either way)`,
    };
  }
  return { signature, timestamp };
}

/** Slack's signature: v0=HMAC-SHA256(signing secret, `v0:<timestamp>:<raw body>`), compared in constant time. */
export function signatureMatches(signingSecret: string, headers: SlackHeaders, rawBody: Buffer): boolean {
  const expected = createHmac('sha256', signingSecret).update(`v0:${headers.timestamp}:`).update(rawBody).digest();
  const given = Buffer.from(headers.signature.slice(3), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function isRefusal(x: Refusal | SlackHeaders | MaybeSslCheck): x is Refusal {
  return 'status' in x;
}

export const NOT_SIGNED: Refusal = {
  status: 401,
  reason: 'no X-Slack-Signature or X-Slack-Request-Timestamp header, and not an SSL check',
};
