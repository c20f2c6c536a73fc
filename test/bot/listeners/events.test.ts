import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../support/until.js';
import { ADMIN, ANN, BOB, startBotWorld, type BotWorld } from '../harness/bot.js';
import { appHomeOpened } from '../harness/payloads.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.stop();
});

async function homeOf(userId: string, since: number): Promise<string> {
  await until(() => (w.slack.homeView(userId)?.publishedAt ?? 0) >= since);
  const view = w.slack.homeView(userId);
  expect(view, `no home view for ${userId}`).toBeDefined();
  return JSON.stringify(view!.view);
}

describe('app_home_opened', () => {
  it('publishes the person’s own status with the steps to fix it', async () => {
    const since = Date.now();
    expect((await w.openHome(ANN)).status).toBe(200);
    const home = await homeOf(ANN, since);
    expect(home).toContain('ann.smith');
    expect(home).toContain('How to turn on MFA');
    expect(home).not.toContain('All accounts');
    expect(home).not.toContain('Console MFA coverage');
    expect(home).not.toContain('Open cases');
  });

  it('gives admins the per-account summary and the last and next scan times', async () => {
    const since = Date.now();
    await w.openHome(ADMIN);
    const home = await homeOf(ADMIN, since);
    expect(home).toContain('All accounts (admins)');
    expect(home).toMatch(/Last scan: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC · Next scan: not scheduled/);
    // The digest chart's headline, from the stored scans and the nudge ledger: ann.smith is the one without MFA.
    expect(home).toContain(
      '*Console MFA coverage:* 66.7% (2 of 3 console users) · no earlier scan to compare with yet\\n' +
        '*Open cases:* 1 · the oldest open for 0 days: `ann.smith` in `123456789012`',
    );
  });

  it('publishes once for a retried event (same event_id, X-Slack-Retry-Num)', async () => {
    const before = w.slack.countCalls('views.publish');
    await w.openHome(BOB, 'EvRETRIED001');
    await w.openHome(BOB, 'EvRETRIED001', { retryNum: 1, retryReason: 'http_timeout' });
    await w.openHome(BOB, 'EvRETRIED001', { retryNum: 2, retryReason: 'http_timeout' });
    await homeOf(BOB, 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.slack.countCalls('views.publish') - before).toBe(1);
  });

  it('does nothing when the Messages tab is opened', async () => {
    const before = w.slack.countCalls('views.publish');
    await w.post({ json: appHomeOpened(ANN, 'EvMESSAGES01', 'messages') });
    await new Promise((r) => setTimeout(r, 300));
    expect(w.slack.countCalls('views.publish')).toBe(before);
  });

  it('logs a refused views.publish and keeps serving', async () => {
    w.slack.failNext('views.publish', 'invalid_arguments');
    expect((await w.openHome(ANN)).status).toBe(200);
    await until(() => w.logs.join('').includes('could not be published'));
    expect(w.logs.join('')).toMatch(/App Home for UANN0000001 could not be published: invalid_arguments/);
    const since = Date.now();
    await w.openHome(ANN);
    await homeOf(ANN, since);
  });
});
