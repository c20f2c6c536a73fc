import type { AwsLambdaReceiver } from '@slack/bolt';
import {
  checkHeaders,
  isRefusal,
  isSslCheck,
  MAX_BODY_BYTES,
  NOT_SIGNED,
  signatureMatches,
  type Refusal,
} from './front-door.js';
import type { BotLog } from './logger.js';

type AwsHandler = ReturnType<AwsLambdaReceiver['toHandler']>;
type AwsEvent = Parameters<AwsHandler>[0];
type AwsResponse = Awaited<ReturnType<AwsHandler>>;

function headerLookup(event: Partial<AwsEvent>): (name: string) => string | undefined {
  const headers = new Map<string, string>();
  const single = (event.headers ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(single)) if (typeof v === 'string') headers.set(k.toLowerCase(), v);
  const multi = ((event as { multiValueHeaders?: Record<string, unknown> }).multiValueHeaders ?? {}) as Record<
    string,
    unknown
  >;
  for (const [k, v] of Object.entries(multi)) {
    if (!headers.has(k.toLowerCase()) && Array.isArray(v) && v.length === 1 && typeof v[0] === 'string')
      headers.set(k.toLowerCase(), v[0]);
  }
  return (name) => headers.get(name);
}

/** The body's bytes, or a refusal: API Gateway hands it over as a string (base64 for form bodies on HTTP APIs). */
function rawBody(event: Partial<AwsEvent>): Buffer | Refusal {
  const body = (event as { body?: unknown }).body;
  if (typeof body !== 'string') return { status: 401, reason: 'no body a signature could cover' };
  // A base64 string is a third longer than its bytes: measured before decoding.
  const longest = event.isBase64Encoded ? Math.ceil((body.length * 3) / 4) : body.length;
  if (longest > MAX_BODY_BYTES * (event.isBase64Encoded ? 1 : 4))
    return { status: 413, reason: `a body over ${MAX_BODY_BYTES} bytes` };
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  return bytes.length > MAX_BODY_BYTES
    ? { status: 413, reason: `a body of ${bytes.length} bytes (the limit is ${MAX_BODY_BYTES})` }
    : bytes;
}

const answer = (status: number): AwsResponse => ({
  statusCode: status,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: '',
});

export interface LambdaGuardOptions {
  signingSecret: string;
  log: BotLog;
  nowMs?: () => number;
}

/**
 * The same checks as the HTTP receiver's front door, in front of Bolt's AwsLambdaReceiver (which parses the
 * body before it checks the signature, so junk made it throw): signature headers, timestamp window, size,
 * then the signature over the body. Anything else that throws is answered 400, never thrown to Lambda.
 */
export function guardLambdaHandler(inner: AwsHandler, options: LambdaGuardOptions): AwsHandler {
  const { log } = options;
  const refuse = (refusal: Refusal) => {
    log.debug(`refused a Slack request: ${refusal.reason} (HTTP ${refusal.status})`);
    return answer(refusal.status);
  };
  return async (event, context) => {
    if (event === null || typeof event !== 'object')
      return refuse({ status: 400, reason: 'an event that is not an API Gateway request' });
    const header = headerLookup(event);
    // The body is in memory already (API Gateway hands it over whole): its length stands in for a missing
    // Content-Length.
    const body = rawBody(event);
    const length = Buffer.isBuffer(body) ? String(body.length) : undefined;
    const headers = checkHeaders(
      (name) => (name === 'content-length' ? (header(name) ?? length) : header(name)),
      options.nowMs?.(),
    );
    if (isRefusal(headers)) return refuse(headers);
    if (!Buffer.isBuffer(body)) return refuse('sslCheck' in headers ? NOT_SIGNED : body);
    if ('sslCheck' in headers) return isSslCheck(body) ? answer(200) : refuse(NOT_SIGNED);
    if (!signatureMatches(options.signingSecret, headers, body))
      return refuse({ status: 401, reason: 'a signature that does not match the body' });
    try {
      return await inner(event, context);
    } catch (err) {
      log.warn(`a signed Slack request could not be handled: ${err instanceof Error ? err.message : String(err)}`);
      return answer(400);
    }
  };
}
