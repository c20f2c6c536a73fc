import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANN, answerText, SIGNING_SECRET, startBotWorld, type BotWorld } from './harness/bot.js';
import { slashCommand } from './harness/payloads.js';
import { encodeBody, slackSignature } from './harness/sign.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.stop();
});

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('the HTTP receiver', () => {
  it('answers GET /healthz with 200 for load balancers', async () => {
    const res = await fetch(`${w.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
    expect((await fetch(`${w.base}/nowhere`)).status).toBe(404);
  });

  it('acknowledges a signed slash command with 200 at once and answers through the response URL', async () => {
    const started = Date.now();
    const res = await w.command('', ANN, 'valid');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(Date.now() - started).toBeLessThan(1_000);
    const [answer] = await w.responses.waitFor('valid');
    expect(answer!.body.response_type).toBe('ephemeral');
    expect(answerText(answer!.body)).toContain('ann.smith');
  });

  it('refuses a bad signature with 401 and runs nothing', async () => {
    const callsBefore = w.slack.countCalls();
    const res = await w.command('', ANN, 'bad-signature', { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    await settle();
    expect(w.responses.for('bad-signature')).toHaveLength(0);
    expect(w.slack.countCalls()).toBe(callsBefore);
  });

  it('refuses a timestamp older than five minutes with 401, even when correctly signed', async () => {
    const res = await w.command('', ANN, 'stale', { timestamp: Math.floor(Date.now() / 1000) - 5 * 60 - 5 });
    expect(res.status).toBe(401);
    await settle();
    expect(w.responses.for('stale')).toHaveLength(0);
  });

  it('refuses a request without signature headers, and a body changed after signing', async () => {
    const { raw, contentType } = encodeBody({ form: slashCommand('', ANN, w.responses.url('unsigned')) });
    expect(
      (await fetch(`${w.base}/slack/events`, { method: 'POST', headers: { 'content-type': contentType }, body: raw }))
        .status,
    ).toBe(401);
    const ts = Math.floor(Date.now() / 1000);
    const tampered = await fetch(`${w.base}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(SIGNING_SECRET, ts, raw),
      },
      body: raw.replace(`user_id=${ANN}`, 'user_id=UADMIN00001'),
    });
    expect(tampered.status).toBe(401);
    await settle();
    expect(w.responses.for('unsigned')).toHaveLength(0);
  });

  it('answers Slack’s url_verification challenge', async () => {
    const res = await w.post({
      json: {
        token: 'x',
        challenge: 'challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
        type: 'url_verification',
      },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
  });

  it('never writes a token or a response URL to the log', () => {
    const all = w.logs.join('');
    expect(all).not.toContain(w.slack.botToken);
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain('/response/');
  });
});
