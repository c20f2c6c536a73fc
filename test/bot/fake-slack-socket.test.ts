import { WebSocket } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack({ rateLimits: false });
  slack.addAppToken('xapp-1-test');
});
afterAll(async () => {
  await slack?.stop();
});

async function open(token: string): Promise<{ ok: boolean; url?: string; error?: string }> {
  const res = await fetch(`${slack.url}apps.connections.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as { ok: boolean; url?: string; error?: string };
}

function connect(url: string): Promise<{ ws: WebSocket; hello: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.addEventListener(
      'message',
      (e) => resolve({ ws, hello: JSON.parse(String(e.data)) as Record<string, unknown> }),
      { once: true },
    );
    ws.addEventListener('error', () => reject(new Error('websocket error')), { once: true });
  });
}

describe('the fake’s Socket Mode', () => {
  it('gives app tokens a one-time ws:// URL, says hello, and relays envelopes and acks', async () => {
    expect(await open(slack.botToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(
      (await fetch(`${slack.url}auth.test`, { method: 'POST', headers: { authorization: 'Bearer xapp-1-test' } }).then(
        (r) => r.json(),
      )) as object,
    ).toMatchObject({ error: 'not_allowed_token_type' });
    const { url } = await open('xapp-1-test');
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);
    const { ws, hello } = await connect(url!);
    expect(hello).toMatchObject({ type: 'hello' });
    ws.addEventListener('message', (e) => {
      const env = JSON.parse(String(e.data)) as { envelope_id: string };
      ws.send(JSON.stringify({ envelope_id: env.envelope_id, payload: { text: 'pong' } }));
    });
    expect(await slack.sendOverSocket({ type: 'slash_commands', envelope_id: 'e1', payload: {} })).toEqual({
      envelope_id: 'e1',
      payload: { text: 'pong' },
    });
    ws.close();
    await expect(connect(url!)).rejects.toThrow();
  });
});
