import type { Params } from './types.js';

/** A string argument (numbers are stringified, as a form body would carry them). */
export function str(params: Params, key: string): string | undefined {
  const v = params[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A non-empty string argument. */
export function nonEmpty(params: Params, key: string): string | undefined {
  const v = str(params, key);
  return v !== undefined && v !== '' ? v : undefined;
}

export function bool(params: Params, key: string): boolean {
  const v = params[key];
  return v === true || v === 1 || v === 'true' || v === '1';
}

/** An integer argument: undefined when absent, NaN when present but not an integer. */
export function int(params: Params, key: string): number | undefined {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(String(v));
  return Number.isInteger(n) ? n : Number.NaN;
}

export type JsonArg =
  | { present: false }
  | { present: true; valid: true; value: unknown }
  | { present: true; valid: false };

/**
 * A JSON argument: form bodies carry it as a JSON string (what @slack/web-api sends for
 * blocks, attachments, view, files), JSON bodies carry the structure itself.
 */
export function json(params: Params, key: string): JsonArg {
  const v = params[key];
  if (v === undefined || v === null || v === '') return { present: false };
  if (typeof v !== 'string') return { present: true, valid: true, value: v };
  try {
    return { present: true, valid: true, value: JSON.parse(v) as unknown };
  } catch {
    return { present: true, valid: false };
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
