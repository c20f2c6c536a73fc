import { int, str } from '../params.js';
import type { Params } from '../types.js';

export const MAX_PAGE = 1000;

export type Page<T> =
  | { ok: true; items: T[]; nextCursor: string }
  | { ok: false; error: 'invalid_cursor' | 'invalid_limit' };

/** Slack-style opaque cursor: base64 of "<kind>:<id of the next item>". */
export function encodeCursor(kind: string, id: string): string {
  return Buffer.from(`${kind}:${id}`, 'utf8').toString('base64');
}

function decodeCursor(kind: string, cursor: string): string | undefined {
  const raw = Buffer.from(cursor, 'base64').toString('utf8');
  return raw.startsWith(`${kind}:`) ? raw.slice(kind.length + 1) : undefined;
}

/**
 * Cursor pagination over an ordered list. `limit` 0 / absent uses `defaultLimit`
 * (0 = everything, which is users.list's behaviour); larger than 1000 is capped at 1000.
 */
export function paginate<T extends { id: string }>(
  all: readonly T[],
  params: Params,
  kind: string,
  defaultLimit: number,
): Page<T> {
  const limitArg = int(params, 'limit');
  if (limitArg !== undefined && (Number.isNaN(limitArg) || limitArg < 0)) return { ok: false, error: 'invalid_limit' };
  const requested = limitArg === undefined || limitArg === 0 ? defaultLimit : limitArg;
  const limit = requested === 0 ? all.length : Math.min(requested, MAX_PAGE);

  let start = 0;
  const cursor = str(params, 'cursor');
  if (cursor !== undefined && cursor !== '') {
    const id = decodeCursor(kind, cursor);
    const idx = id === undefined ? -1 : all.findIndex((x) => x.id === id);
    if (idx < 0) return { ok: false, error: 'invalid_cursor' };
    start = idx;
  }
  const items = all.slice(start, start + limit);
  const next = all[start + limit];
  return { ok: true, items, nextCursor: next === undefined ? '' : encodeCursor(kind, next.id) };
}
