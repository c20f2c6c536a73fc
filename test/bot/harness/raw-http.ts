import { connect } from 'node:net';

export interface RawAnswer {
  /** The status code, or undefined when the server answered nothing before closing or the timeout. */
  status?: number;
  /** The bytes of the body the server took before it answered (or the whole body, when it did not). */
  bytesSent: number;
}

/**
 * Sends a request head over a plain socket, then the body in `chunk`-sized pieces until `bodyBytes` are
 * written or the server has answered: shows whether the server answers before reading a whole body.
 */
export function rawPost(
  port: number,
  head: Record<string, string>,
  options: { bodyBytes: number; chunk?: number; chunked?: boolean; timeoutMs?: number; pauseMs?: number },
): Promise<RawAnswer> {
  const { bodyBytes, chunk = 16 * 1024, chunked = false, timeoutMs = 3_000, pauseMs = 5 } = options;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve({ ...(m ? { status: Number(m[1]) } : {}), bytesSent: sent });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (d) => {
      answer += d.toString();
      if (/^HTTP\/1\.1 \d{3}/.test(answer)) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    const lines = Object.entries({
      host: `127.0.0.1:${port}`,
      ...head,
      ...(chunked ? { 'transfer-encoding': 'chunked' } : {}),
    }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`POST /slack/events HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
    const piece = Buffer.alloc(chunk, 'a');
    const pump = () => {
      if (settled || socket.destroyed) return;
      if (sent >= bodyBytes) {
        if (chunked) socket.write('0\r\n\r\n');
        return;
      }
      const n = Math.min(chunk, bodyBytes - sent);
      socket.write(
        chunked
          ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), piece.subarray(0, n), Buffer.from('\r\n')])
          : piece.subarray(0, n),
      );
      sent += n;
      setTimeout(pump, pauseMs);
    };
    pump();
  });
}
