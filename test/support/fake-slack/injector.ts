/**
 * Failures a test schedules for upcoming calls of a method ("*" = any method). They are
 * consumed in order, one per matching authenticated request.
 */
export type Injection =
  | { kind: 'error'; error: string; extra: Record<string, unknown> }
  | { kind: 'http'; status: number; body: string }
  | { kind: 'ratelimited'; retryAfterSec: number }
  /** The connection is dropped before Slack does anything: nothing is posted. */
  | { kind: 'drop' }
  /** Slack does the work (posts), then the answer is lost, or a 5xx, or arrives `delayMs` late. */
  | { kind: 'after'; then: AfterFault };

/** What happens to the answer of a request Slack has already carried out. */
export type AfterFault = { answer: 'drop' } | { answer: 'http'; status: number } | { answer: 'late'; delayMs: number };

/** Limits an injection to calls whose parameters match, e.g. one DM recipient: `(p) => p.channel === 'U123'`. */
export type ParamsMatcher = (params: Record<string, unknown>) => boolean;

interface Pending {
  method: string;
  injection: Injection;
  remaining: number;
  match?: ParamsMatcher;
}

export class Injector {
  private pending: Pending[] = [];

  add(method: string, injection: Injection, count: number, match?: ParamsMatcher): void {
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`fake-slack: count must be a positive integer, got ${count}`);
    this.pending.push({ method, injection, remaining: count, ...(match ? { match } : {}) });
  }

  /** The first scheduled injection for this method (consumes one use of it). */
  take(method: string, params: Record<string, unknown> = {}): Injection | undefined {
    const idx = this.pending.findIndex(
      (p) => (p.method === method || p.method === '*') && (p.match === undefined || p.match(params)),
    );
    if (idx < 0) return undefined;
    const p = this.pending[idx];
    if (p === undefined) return undefined;
    p.remaining -= 1;
    if (p.remaining === 0) this.pending.splice(idx, 1);
    return p.injection;
  }

  clear(): void {
    this.pending = [];
  }
}
