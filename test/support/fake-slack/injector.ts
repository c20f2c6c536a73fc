/**
 * Failures a test schedules for upcoming calls of a method ("*" = any method). They are
 * consumed in order, one per matching authenticated request.
 */
export type Injection =
  | { kind: 'error'; error: string; extra: Record<string, unknown> }
  | { kind: 'http'; status: number; body: string }
  | { kind: 'ratelimited'; retryAfterSec: number };

interface Pending {
  method: string;
  injection: Injection;
  remaining: number;
}

export class Injector {
  private pending: Pending[] = [];

  add(method: string, injection: Injection, count: number): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`fake-slack: count must be a positive integer, got ${count}`);
    this.pending.push({ method, injection, remaining: count });
  }

  /** The first scheduled injection for this method (consumes one use of it). */
  take(method: string): Injection | undefined {
    const idx = this.pending.findIndex((p) => p.method === method || p.method === '*');
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
