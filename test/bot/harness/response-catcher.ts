import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CaughtResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

/**
 * Stands in for Slack's response URLs: `url(id)` gives a URL on loopback; whatever the bot POSTs there is
 * kept. `failWith(id, 500)` makes that URL answer an error instead, as an expired or broken one would.
 */
export class ResponseCatcher {
  readonly caught: CaughtResponse[] = [];
  private readonly failures = new Map<string, number>();
  private waiters: Array<() => void> = [];
  private server: Server | undefined;
  private base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = (req.url ?? '').replace(/^\/response\//, '');
        const status = this.failures.get(id);
        if (status !== undefined) {
          res.writeHead(status).end('failed on purpose');
          return;
        }
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          body = { unparsable: true };
        }
        this.caught.push({ id, body, at: Date.now() });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        for (const w of this.waiters.splice(0)) w();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(id: string): string {
    return `${this.base}/response/${id}`;
  }

  failWith(id: string, status: number): void {
    this.failures.set(id, status);
  }

  for(id: string): CaughtResponse[] {
    return this.caught.filter((c) => c.id === id);
  }

  /** Waits until `count` responses arrived for `id`. */
  async waitFor(id: string, count = 1, timeoutMs = 10_000): Promise<CaughtResponse[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.for(id).length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no ${count} response(s) for ${id} within ${timeoutMs} ms (got ${this.for(id).length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.for(id);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
