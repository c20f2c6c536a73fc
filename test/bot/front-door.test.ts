import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/bot/front-door.js';
import { ANN, startBotWorld, type BotWorld } from './harness/bot.js';
import { slashCommand } from './harness/payloads.js';
import { rawPost } from './harness/raw-http.js';

let w: BotWorld;
let port: number;
beforeAll(async () => {
  w = await startBotWorld();
  port = w.server.port!;
});
afterAll(async () => {
  await w?.stop();
});

const settle = () => new Promise((r) => setTimeout(r, 300));
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Well-formed Slack headers whose signature matches nothing. */
const forgedHeaders = () => ({
  'content-type': 'application/x-www-form-urlencoded',
  'x-slack-request-timestamp': String(nowSeconds()),
  'x-slack-signature': `v0=${'0'.repeat(64)}`,
});

describe('the HTTP front door, before Bolt reads a body', () => {
  it(`refuses a declared body over ${MAX_BODY_BYTES} bytes with 413 before reading it`, async () => {
    const answer = await rawPost(
      port,
      { 'content-type': 'application/json', 'content-length': String(4 * 1024 * 1024) },
      { bodyBytes: 4 * 1024 * 1024 },
    );
    expect(answer.status).toBe(413);
    expect(answer.bytesSent).toBeLessThan(1024 * 1024);
  });

  it('refuses a request without signature headers with 401 before its body has arrived', async () => {
    const answer = await rawPost(
      port,
      { 'content-type': 'application/json', 'content-length': String(100 * 1024) },
      { bodyBytes: 100 * 1024, chunk: 1024, pauseMs: 20 },
    );
    expect(answer.status).toBe(401);
    expect(answer.bytesSent).toBeLessThan(100 * 1024);
  });

  it('refuses malformed signature or timestamp headers with 401', async () => {
    for (const head of [
      { ...forgedHeaders(), 'x-slack-signature': 'v0=not-hex' },
      { ...forgedHeaders(), 'x-slack-signature': `v1=${'0'.repeat(64)}` },
      { ...forgedHeaders(), 'x-slack-request-timestamp': '12abc' },
      { ...forgedHeaders(), 'x-slack-request-timestamp': '' },
    ]) {
      const answer = await rawPost(port, { ...head, 'content-length': '10' }, { bodyBytes: 10 });
      expect(answer.status, JSON.stringify(head)).toBe(401);
    }
  });

  it(
    'answers Slack’s unsigned SSL check (ssl_check=1) with ' +
      '200 itself, and runs nothing even with a smuggled payload',
    async () => {
      const post = (body: string, contentType = 'application/x-www-form-urlencoded') =>
        fetch(`${w.base}/slack/events`, { method: 'POST', headers: { 'content-type': contentType }, body });
      expect((await post('ssl_check=1&token=xxx')).status).toBe(200);
      const smuggled = new URLSearchParams({
        ssl_check: '1',
        ...slashCommand('', ANN, w.responses.url('smuggled')),
      }).toString();
      expect((await post(smuggled)).status).toBe(200);
      expect((await post('ssl_check=0&token=xxx')).status).toBe(401);
      expect((await post(`ssl_check=1&token=${'x'.repeat(2000)}`)).status).toBe(401);
      expect((await post('{"ssl_check":"1"}', 'application/json')).status).toBe(401);
      await settle();
      expect(w.responses.for('smuggled')).toHaveLength(0);
    },
  );

  it('stops reading a chunked body past the limit and answers 413', async () => {
    const answer = await rawPost(port, forgedHeaders(), { bodyBytes: 2 * 1024 * 1024, chunked: true });
    expect(answer.status).toBe(413);
    expect(answer.bytesSent).toBeLessThan(MAX_BODY_BYTES + 256 * 1024);
  });

  it(
    'refuses a correctly signed request stamped more ' + 'than five minutes ahead (+305 s, +1 h, +1,000,000 s)',
    async () => {
      // Not 301: the stamp is in whole seconds and the check runs a moment later, so +301 can land at 300.x.
      for (const ahead of [305, 3600, 1_000_000]) {
        const res = await w.command('', ANN, `future-${ahead}`, { timestamp: nowSeconds() + ahead });
        expect(res.status, `+${ahead} s`).toBe(401);
      }
      await settle();
      for (const ahead of [305, 3600, 1_000_000]) expect(w.responses.for(`future-${ahead}`)).toHaveLength(0);
    },
  );

  it(
    'still answers a correctly signed request stamped a ' + 'little ahead of the clock (Slack’s clock may lead ours)',
    async () => {
      const res = await w.command('', ANN, 'slightly-ahead', { timestamp: nowSeconds() + 60 });
      expect(res.status).toBe(200);
      expect(await w.responses.waitFor('slightly-ahead')).toHaveLength(1);
    },
  );
});
