import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  checkHeaders,
  isRefusal,
  isSslCheck,
  MAX_BODY_BYTES,
  MAX_SSL_CHECK_BYTES,
  NOT_SIGNED,
  signatureMatches,
  type Refusal,
} from './front-door.js';
import type { BotLog } from './logger.js';

type Read = { kind: 'body'; body: Buffer } | { kind: 'too-large' } | { kind: 'gone' };

/** Reads a body up to `limit` bytes; past it, stops reading (the caller answers and closes the connection). */
function readLimited(req: IncomingMessage, limit: number): Promise<Read> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (read: Read) => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      resolve(read);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done({ kind: 'too-large' });
      } else chunks.push(chunk);
    };
    const onEnd = () => done({ kind: 'body', body: Buffer.concat(chunks, size) });
    const onGone = () => done({ kind: 'gone' });
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

const REASON: Record<Refusal['status'], string> = { 400: 'Bad Request', 401: 'Unauthorized', 413: 'Payload Too Large' };

/**
 * Answers a refused request and closes the connection once the answer is out, so a body the client is
 * still sending is never read.
 */
function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal, log: BotLog): void {
  log.debug(`refused a request to ${req.url}: ${refusal.reason} (HTTP ${refusal.status})`);
  res.shouldKeepAlive = false;
  res.writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(`${REASON[refusal.status]}\n`, () => req.socket.destroy());
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

export interface GuardOptions {
  /** The Slack endpoint (POST); any other route goes straight to the inner listener. */
  path: string;
  signingSecret: string;
  log: BotLog;
  nowMs?: () => number;
}

/**
 * Bolt's HTTPReceiver buffers up to 4 MB of any body before it checks the signature. In front of it: the
 * headers are checked before the body is read, the body is read up to MAX_BODY_BYTES and its signature
 * checked, and only then is the request (its body already buffered, which Bolt reuses) handed on.
 */
export function guardSlackEndpoint(inner: RequestListener, options: GuardOptions): RequestListener {
  const { log } = options;
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== options.path) return inner(req, res);
    const headers = checkHeaders((name) => single(req.headers[name]), options.nowMs?.());
    if (isRefusal(headers)) return refuse(req, res, headers, log);
    if ('sslCheck' in headers) {
      void readLimited(req, MAX_SSL_CHECK_BYTES).then((read) => {
        if (read.kind === 'gone') return;
        if (read.kind !== 'body' || !isSslCheck(read.body)) return refuse(req, res, NOT_SIGNED, log);
        res.writeHead(200).end();
      });
      return;
    }
    void readLimited(req, MAX_BODY_BYTES).then((read) => {
      if (read.kind === 'gone') return;
      if (read.kind === 'too-large')
        return refuse(req, res, { status: 413, reason: `a body over ${MAX_BODY_BYTES} bytes` }, log);
      if (!signatureMatches(options.signingSecret, headers, read.body))
        return refuse(req, res, { status: 401, reason: 'a signature that does not match the body' }, log);
      // Bolt's bufferIncomingMessage() takes a Buffer in `rawBody` as the body already read.
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = read.body;
      try {
        inner(req, res);
      } catch (err) {
        log.error(`the Slack request could not be dispatched: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) res.writeHead(500).end();
      }
    });
  };
}
