import type { Params, RecordedCall } from './types.js';

/** Log of every request the server answered, in arrival order. */
export class Recorder {
  private readonly log: RecordedCall[] = [];
  private seq = 0;

  record(entry: {
    method: string;
    httpMethod: string;
    params: Params;
    token: string | undefined;
    time: number;
    status: number;
    ok: boolean;
    error?: string;
    retryAfterMs?: number;
  }): void {
    const { token, params, ...rest } = entry;
    const { token: _dropped, ...safeParams } = params;
    this.seq += 1;
    this.log.push({
      seq: this.seq,
      ...rest,
      params: safeParams,
      ...(token !== undefined ? { tokenPrefix: token.slice(0, 5) } : {}),
    });
  }

  calls(method?: string): RecordedCall[] {
    return method === undefined ? [...this.log] : this.log.filter((c) => c.method === method);
  }

  count(method?: string): number {
    return this.calls(method).length;
  }

  rateLimited(method?: string): number {
    return this.calls(method).filter((c) => c.status === 429).length;
  }

  clear(): void {
    this.log.length = 0;
  }
}
