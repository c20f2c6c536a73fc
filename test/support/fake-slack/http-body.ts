import type { IncomingMessage } from 'node:http';
import type { Params } from './types.js';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Parse a multipart body with the platform's own parser (undici); files become Buffers. */
export async function parseMultipart(body: Buffer, contentType: string): Promise<Array<[string, string | Buffer]>> {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const out: Array<[string, string | Buffer]> = [];
  for (const [key, value] of form.entries()) {
    out.push([key, typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer())]);
  }
  return out;
}

export type ParsedRequest =
  | {
      ok: true;
      params: Params /** token sent as a form field (not honoured for JSON bodies, as Slack) */;
      bodyToken?: string;
    }
  | { ok: false; error: string };

/**
 * Arguments of a Web API call: the query string, then the body (form, JSON or multipart).
 * A JSON body's `token` is ignored: Slack only takes the token from the Authorization
 * header when the body is JSON.
 */
export async function parseApiRequest(req: IncomingMessage, url: URL, body: Buffer): Promise<ParsedRequest> {
  const params: Params = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  if (req.method === 'GET' || body.length === 0) return { ok: true, params };

  const type = mediaType(req);
  let bodyToken: string | undefined;
  switch (type) {
    case 'application/x-www-form-urlencoded': {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
      break;
    }
    case 'application/json': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return { ok: false, error: 'invalid_json' };
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return { ok: false, error: 'invalid_json' };
      const { token: _ignored, ...rest } = parsed as Record<string, unknown>;
      Object.assign(params, rest);
      return { ok: true, params };
    }
    case 'multipart/form-data': {
      try {
        for (const [k, v] of await parseMultipart(body, req.headers['content-type'] ?? '')) params[k] = v;
      } catch {
        return { ok: false, error: 'invalid_form_data' };
      }
      break;
    }
    case '':
      return { ok: false, error: 'missing_post_type' };
    default:
      return { ok: false, error: 'invalid_post_type' };
  }
  if (typeof params.token === 'string') bodyToken = params.token;
  return bodyToken !== undefined ? { ok: true, params, bodyToken } : { ok: true, params };
}
