import type Database from 'better-sqlite3';

interface Pending {
  op: () => unknown;
  durable: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes asked for in the same turn of the event loop share one BEGIN IMMEDIATE transaction, and so one
 * fsync: during a fan-out, the claim of one message and the record of another's ts land together. Each write
 * runs in its own savepoint, so one that throws undoes only itself; each promise settles after the commit,
 * so a caller that has awaited its write knows it is on disk, as with a transaction of its own.
 */
export class GroupCommit {
  private pending: Pending[] = [];

  constructor(private readonly db: Database.Database) {}

  /**
   * `durable: false` for a write a power cut may lose without harm (the release of a claim, which then stays
   * stale for the recovery): a batch of only such writes commits without the fsync.
   */
  run<T>(op: () => T, options: { durable: boolean } = { durable: true }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ op, durable: options.durable, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const relaxed = batch.every((p) => !p.durable);
    if (relaxed) this.db.pragma('synchronous = NORMAL');
    try {
      this.db
        .transaction(() => {
          for (const p of batch) {
            try {
              outcomes.push({ ok: true, value: this.db.transaction(p.op)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    } finally {
      if (relaxed) this.db.pragma('synchronous = FULL');
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) p.resolve(outcome.value);
      else p.reject(outcome.error);
    });
  }
}
