import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/until.js';
import { ANN, answerText, BOB, startBotWorld, type BotWorld } from './harness/bot.js';
import { appHomeOpened, slashCommand } from './harness/payloads.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld({ socketMode: true });
});
afterAll(async () => {
  await w?.stop();
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('opens the connection with the app-level token through SLACK_API_URL, and listens on no port', async () => {
    expect(w.server.transport).toBe('socket');
    expect(w.server.port).toBeUndefined();
    expect(w.slack.socketConnections()).toBe(1);
    const opens = w.slack.calls('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]).toMatchObject({ ok: true, tokenPrefix: 'xapp-' });
    expect(w.logs.join('')).toContain('connected to Slack in Socket Mode');
  });

  it('acknowledges a slash command envelope by its envelope_id and answers through the response URL', async () => {
    const ack = await w.slack.sendOverSocket({
      type: 'slash_commands',
      envelope_id: 'env-command-1',
      payload: slashCommand('', ANN, w.responses.url('socket-me')),
      accepts_response_payload: true,
    });
    expect(ack.envelope_id).toBe('env-command-1');
    const [answer] = await w.responses.waitFor('socket-me');
    expect(answer!.body.response_type).toBe('ephemeral');
    expect(answerText(answer!.body)).toContain('ann.smith');
  });

  it('publishes the App Home for an events_api envelope, once even when Slack retries it', async () => {
    const payload = appHomeOpened(BOB, 'EvSOCKET0001');
    const first = await w.slack.sendOverSocket({ type: 'events_api', envelope_id: 'env-event-1', payload });
    const retry = await w.slack.sendOverSocket({
      type: 'events_api',
      envelope_id: 'env-event-2',
      payload,
      retry_attempt: 1,
      retry_reason: 'timeout',
    });
    expect([first.envelope_id, retry.envelope_id]).toEqual(['env-event-1', 'env-event-2']);
    await until(() => Boolean(w.slack.homeView(BOB)));
    await new Promise((r) => setTimeout(r, 300));
    expect(w.slack.countCalls('views.publish')).toBe(1);
    expect(JSON.stringify(w.slack.homeView(BOB)!.view)).toContain('bob');
  });
});
