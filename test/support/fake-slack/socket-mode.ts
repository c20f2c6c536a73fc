import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** RFC 6455 §1.3: the GUID the accept key is derived with. */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const SOCKET_PATH = '/link/';

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

export interface SocketEnvelope {
  type: string;
  payload: Record<string, unknown>;
  envelope_id?: string;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** What a client sent back for an envelope: `{ envelope_id, payload? }`. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (len < 126) head[1] = len;
  else if (len < 65536) {
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** One client connection: frames in (masked, possibly fragmented), frames out (unmasked). */
class Connection {
  private buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  open = true;

  constructor(
    readonly socket: Duplex,
    private readonly onText: (text: string) => void,
    private readonly onClose: () => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.closed());
    socket.on('error', () => this.closed());
  }

  sendText(text: string): void {
    if (this.open) this.socket.write(frame(OP_TEXT, Buffer.from(text, 'utf8')));
  }

  close(code = 1000): void {
    if (!this.open) return;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code, 0);
    this.socket.write(frame(OP_CLOSE, body));
    this.socket.end();
    this.closed();
  }

  destroy(): void {
    this.socket.destroy();
    this.closed();
  }

  private closed(): void {
    if (!this.open) return;
    this.open = false;
    this.onClose();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const b0 = this.buffer[0]!;
      const b1 = this.buffer[1]!;
      let len = b1 & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      const maskAt = offset;
      if (masked) offset += 4;
      if (this.buffer.length < offset + len) return;
      const payload = Buffer.from(this.buffer.subarray(offset, offset + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= this.buffer[maskAt + (i % 4)]!;
      this.buffer = this.buffer.subarray(offset + len);
      this.handle(b0 & 0x0f, (b0 & 0x80) !== 0, payload);
    }
  }

  private handle(opcode: number, fin: boolean, payload: Buffer): void {
    switch (opcode) {
      case OP_PING:
        if (this.open) this.socket.write(frame(OP_PONG, payload));
        return;
      case OP_PONG:
        return;
      case OP_CLOSE:
        this.close(payload.length >= 2 ? payload.readUInt16BE(0) : 1000);
        return;
      case OP_TEXT:
      case OP_BINARY:
      case OP_CONTINUATION:
        this.fragments.push(payload);
        if (fin) {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          this.onText(text);
        }
    }
  }
}

/**
 * Slack's Socket Mode side, on the fake's own port: apps.connections.open hands out a one-time
 * `ws://…/link/?ticket=…` URL (the ticket goes into `tickets`); a client that connects gets `hello`, and
 * envelopes the test sends are answered by the client's acknowledgement (`{ envelope_id, payload }`).
 */
export class SocketModeHub {
  private readonly connections: Connection[] = [];
  private readonly waiting = new Map<string, (ack: SocketAck) => void>();
  private readonly connectWaiters: Array<() => void> = [];
  /** Every text frame clients sent, parsed when JSON. */
  readonly received: unknown[] = [];

  constructor(private readonly tickets: Set<string>) {}

  get openConnections(): number {
    return this.connections.filter((c) => c.open).length;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const key = req.headers['sec-websocket-key'];
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== SOCKET_PATH || typeof key !== 'string' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const accept = createHash('sha1')
      .update(key + WS_GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: ` +
        `Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`,
    );
    const conn = new Connection(
      socket,
      (text) => this.fromClient(text),
      () => undefined,
    );
    this.connections.push(conn);
    conn.sendText(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections,
        debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
        connection_info: { app_id: 'AFAKEAPP01' },
      }),
    );
    for (const resolve of this.connectWaiters.splice(0)) resolve();
  }

  private fromClient(text: string): void {
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // kept as text
    }
    this.received.push(parsed);
    const id = (parsed as { envelope_id?: unknown })?.envelope_id;
    if (typeof id === 'string') {
      const resolve = this.waiting.get(id);
      this.waiting.delete(id);
      resolve?.(parsed as SocketAck);
    }
  }

  waitForConnection(timeoutMs: number): Promise<void> {
    if (this.openConnections > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`fake-slack: no Socket Mode connection within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.connectWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends an envelope on the newest open connection and resolves with the client's acknowledgement. */
  send(envelope: SocketEnvelope, timeoutMs: number): Promise<SocketAck> {
    const conn = [...this.connections].reverse().find((c) => c.open);
    if (!conn) return Promise.reject(new Error('fake-slack: no open Socket Mode connection'));
    const envelopeId = envelope.envelope_id ?? randomBytes(8).toString('hex');
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelopeId);
        reject(new Error(`fake-slack: envelope ${envelopeId} was not acknowledged within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    conn.sendText(JSON.stringify({ accepts_response_payload: false, ...envelope, envelope_id: envelopeId }));
    return acked;
  }

  /** Asks every client to reconnect, as Slack does when it recycles a connection. */
  disconnectAll(reason = 'refresh_requested'): void {
    for (const c of this.connections) c.sendText(JSON.stringify({ type: 'disconnect', reason }));
  }

  closeAll(): void {
    for (const c of this.connections) c.destroy();
  }
}
