import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseApiRequest, mediaType, parseMultipart, readBody } from './http-body.js';
import type { AfterFault, Injection, Injector } from './injector.js';
import type { RandomFaults } from './random-faults.js';
import { METHODS, type BehaviourOptions, type MethodSpec } from './methods/index.js';
import { UPLOAD_PATH, receiveUpload } from './methods/files.js';
import { channelRateKey } from './methods/targets.js';
import { str } from './params.js';
import { type BucketRequest, type RateLimiter, type ResolvedRateConfig, retryAfterSeconds } from './rate-limiter.js';
import type { Recorder } from './recorder.js';
import type { SocketModeHub } from './socket-mode.js';
import type { FakeToken, Params, SlackBody } from './types.js';
import type { Workspace } from './workspace.js';

/** Header carrying the precise wait of a 429 in ms (Retry-After itself is whole seconds). */
export const PRECISE_RETRY_HEADER = 'x-fake-retry-after-ms';

export interface ServerDeps {
  ws: Workspace;
  recorder: Recorder;
  injector: Injector;
  limiter: RateLimiter;
  rateConfig: ResolvedRateConfig;
  behaviour: BehaviourOptions;
  now: () => number;
  verbose: boolean;
  isRateLimitingEnabled: () => boolean;
  socketMode: SocketModeHub;
  /** Random 5xx answers and dropped connections, when a test or benchmark turns them on. */
  randomFaults: () => RandomFaults | undefined;
  /** Channels whose first chat.postMessage is refused once with this Retry-After (s), when on. */
  firstPostRefusal: () => { retryAfterSec: number; seen: Set<string> } | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The node:http side: routing, body parsing, auth, injections, rate limits, dispatch, recording. */
export class FakeSlackHttp {
  private server: Server | undefined;
  private base = '';

  constructor(private readonly d: ServerDeps) {}

  get baseUrl(): string {
    return this.base;
  }

  async listen(): Promise<number> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
        process.stderr.write(`fake-slack: internal error: ${detail}\n`);
        if (!res.headersSent) {
          this.send(res, 200, JSON.stringify({ ok: false, error: 'fake_slack_internal_error', detail }), JSON_TYPE);
        } else {
          res.destroy();
        }
      });
    });
    server.on('upgrade', (req, socket) => this.d.socketMode.handleUpgrade(req, socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
    return port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.d.socketMode.closeAll();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  }

  private send(
    res: ServerResponse,
    status: number,
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    });
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    if (req.method === 'POST' && url.pathname.startsWith(UPLOAD_PATH)) return this.handleUpload(req, res, url);
    if (!url.pathname.startsWith('/api/')) {
      this.send(res, 404, 'Not Found', 'text/plain');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      this.send(res, 405, 'Method Not Allowed', 'text/plain', { allow: 'GET, POST' });
      return;
    }
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const body = await readBody(req);
    const parsed = await parseApiRequest(req, url, body);
    const params: Params = parsed.ok ? parsed.params : {};
    const token = bearer(req) ?? (parsed.ok ? parsed.bodyToken : undefined);

    const record = (status: number, payload: SlackBody, retryAfterMs?: number): void => {
      this.d.recorder.record({
        method,
        httpMethod: req.method ?? 'POST',
        params,
        token,
        time: this.d.now(),
        status,
        ok: payload.ok,
        ...(payload.error !== undefined ? { error: payload.error } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
      if (this.d.verbose)
        process.stderr.write(`fake-slack: ${method} -> ${status} ${payload.ok ? 'ok' : (payload.error ?? '')}\n`);
    };
    const respond = (
      status: number,
      payload: SlackBody,
      headers: Record<string, string> = {},
      retryAfterMs?: number,
    ): void => {
      this.send(res, status, JSON.stringify(payload), JSON_TYPE, headers);
      record(status, payload, retryAfterMs);
    };

    if (!parsed.ok) return respond(200, { ok: false, error: parsed.error });
    const spec = METHODS.get(method);
    if (spec === undefined) return respond(200, { ok: false, error: 'unknown_method', req_method: method });

    if (token === undefined || token === '') return respond(200, { ok: false, error: 'not_authed' });
    const tok = this.d.ws.tokens.get(token);
    if (tok === undefined) return respond(200, { ok: false, error: 'invalid_auth' });
    if (tok.state === 'revoked') return respond(200, { ok: false, error: 'token_revoked' });
    if (tok.state === 'inactive') return respond(200, { ok: false, error: 'account_inactive' });
    // App-level tokens open Socket Mode connections and do nothing else; other tokens cannot open them.
    if ((tok.kind === 'app') !== (method === 'apps.connections.open'))
      return respond(200, { ok: false, error: 'not_allowed_token_type' });

    // Slack names the token's granted scopes on every answer to an authenticated call, and what the method accepts.
    const scopeHeaders: Record<string, string> = {
      'x-oauth-scopes': grantedScopes(tok).join(','),
      'x-accepted-oauth-scopes': (spec.scopes ?? []).join(','),
    };

    let after: AfterFault | undefined;
    const injected = this.d.injector.take(method, params as Record<string, unknown>);
    if (injected?.kind === 'after') after = injected.then;
    else if (injected !== undefined)
      return this.applyInjection(injected, res, respond, method, req.method ?? 'POST', params, token);

    const firstPost = method === 'chat.postMessage' ? this.d.firstPostRefusal() : undefined;
    if (firstPost && after === undefined) {
      const channel = channelRateKey({ ws: this.d.ws }, str(params, 'channel'));
      if (!firstPost.seen.has(channel)) {
        firstPost.seen.add(channel);
        return respond429(respond, firstPost.retryAfterSec * 1000);
      }
    }

    if (this.d.isRateLimitingEnabled() && after === undefined) {
      const decision = this.d.limiter.take(this.rateBuckets(method, spec, token, params));
      if (!decision.allowed) return respond429(respond, decision.retryAfterMs);
    }

    const random = after === undefined ? this.d.randomFaults()?.roll(method) : undefined;
    if (random?.kind === 'drop' || random?.kind === 'http')
      return this.applyInjection(random, res, respond, method, req.method ?? 'POST', params, token);
    if (random?.kind === 'after') after = random.then;

    if (tok.scopes !== undefined && spec.scopes !== undefined && !spec.scopes.some((s) => hasScopeIn(tok, s))) {
      return respond(
        200,
        { ok: false, error: 'missing_scope', needed: spec.scopes[0], provided: tok.scopes.join(',') },
        scopeHeaders,
      );
    }

    const result = spec.handler({
      params,
      ws: this.d.ws,
      token: tok,
      baseUrl: this.base,
      behaviour: this.d.behaviour,
      now: this.d.now,
    });
    if (after !== undefined) return this.answerAfter(after, res, respond, record, result, scopeHeaders);
    return respond(200, result, scopeHeaders);
  }

  /** The work is done (a message posted); what reaches the client is not its answer, or not in time. */
  private answerAfter(
    fault: AfterFault,
    res: ServerResponse,
    respond: (status: number, payload: SlackBody, headers?: Record<string, string>) => void,
    record: (status: number, payload: SlackBody) => void,
    result: SlackBody,
    headers: Record<string, string>,
  ): void {
    switch (fault.answer) {
      case 'drop':
        res.socket?.destroy();
        record(0, { ...result, ok: result.ok, error: 'answer_dropped' });
        return;
      case 'http':
        respond(fault.status, { ok: false, error: `http_${fault.status}` });
        return;
      case 'late': {
        const timer = setTimeout(() => {
          if (!res.destroyed && !res.socket?.destroyed) respond(200, result, headers);
        }, fault.delayMs);
        res.once('close', () => clearTimeout(timer));
        return;
      }
    }
  }

  private applyInjection(
    inj: Injection,
    res: ServerResponse,
    respond: (status: number, payload: SlackBody, headers?: Record<string, string>, retryAfterMs?: number) => void,
    method: string,
    httpMethod: string,
    params: Params,
    token: string,
  ): void {
    switch (inj.kind) {
      case 'error':
        respond(200, { ...inj.extra, ok: false, error: inj.error });
        return;
      case 'ratelimited':
        respond429(respond, inj.retryAfterSec * 1000);
        return;
      case 'drop': {
        res.socket?.destroy();
        this.d.recorder.record({
          method,
          httpMethod,
          params,
          token,
          time: this.d.now(),
          status: 0,
          ok: false,
          error: 'dropped',
        });
        return;
      }
      case 'after':
        return;
      case 'http': {
        this.send(res, inj.status, inj.body, 'text/plain');
        this.d.recorder.record({
          method,
          httpMethod,
          params,
          token,
          time: this.d.now(),
          status: inj.status,
          ok: false,
          error: `http_${inj.status}`,
        });
        return;
      }
    }
  }

  private rateBuckets(method: string, spec: MethodSpec, token: string, params: Params): BucketRequest[] {
    const cfg = this.d.rateConfig;
    const override = cfg.methodTiers[method];
    if (spec.tier === 'postMessage' && override === undefined) {
      return [
        {
          key: `${token}|${method}|ch:${channelRateKey({ ws: this.d.ws }, str(params, 'channel'))}`,
          rule: cfg.postMessagePerChannel,
        },
        { key: `${token}|${method}|workspace`, rule: cfg.postMessageWorkspace },
      ];
    }
    const tier = override ?? (spec.tier === 'postMessage' ? 4 : spec.tier);
    return [{ key: `${token}|${method}`, rule: cfg.tiers[tier] }];
  }

  /** POST of file bytes to an upload_url from files.getUploadURLExternal (raw or multipart, as Slack accepts). */
  private async handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const key = url.pathname.slice(UPLOAD_PATH.length);
    const body = await readBody(req);
    let bytes = body;
    if (mediaType(req) === 'multipart/form-data') {
      const parts = await parseMultipart(body, req.headers['content-type'] ?? '');
      const filePart =
        parts.find(([, v]) => typeof v !== 'string') ?? parts.find(([k]) => k === 'file' || k === 'body');
      const value = filePart?.[1];
      bytes = value === undefined ? Buffer.alloc(0) : typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    }
    const file = receiveUpload(this.d.ws, key, bytes);
    const status = file === undefined ? 404 : 200;
    this.send(res, status, file === undefined ? 'Not Found' : `OK - ${bytes.length}`, 'text/plain');
    this.d.recorder.record({
      method: '<upload>',
      httpMethod: 'POST',
      params: { ...(file !== undefined ? { file_id: file.id } : {}), length: bytes.length },
      token: bearer(req),
      time: this.d.now(),
      status,
      ok: file !== undefined,
      ...(file === undefined ? { error: 'unknown_upload_url' } : {}),
    });
  }
}

function respond429(
  respond: (status: number, payload: SlackBody, headers?: Record<string, string>, retryAfterMs?: number) => void,
  retryAfterMs: number,
): void {
  respond(
    429,
    { ok: false, error: 'ratelimited' },
    { 'retry-after': String(retryAfterSeconds(retryAfterMs)), [PRECISE_RETRY_HEADER]: String(Math.ceil(retryAfterMs)) },
    retryAfterMs,
  );
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (h === undefined) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m?.[1];
}

/** Every bot scope some method of the fake accepts, plus `commands`: what a token with "every scope" holds. */
const EVERY_BOT_SCOPE = [...new Set(['commands', ...[...METHODS.values()].flatMap((m) => m.scopes ?? [])])]
  .filter((s) => s !== 'connections:write')
  .sort();

/** The scopes a token was granted, as Slack lists them in `x-oauth-scopes`. */
function grantedScopes(tok: FakeToken): string[] {
  if (tok.scopes !== undefined) return tok.scopes;
  return tok.kind === 'app' ? ['connections:write'] : EVERY_BOT_SCOPE;
}

function hasScopeIn(tok: FakeToken, scope: string): boolean {
  return tok.scopes === undefined || tok.scopes.includes(scope);
}
