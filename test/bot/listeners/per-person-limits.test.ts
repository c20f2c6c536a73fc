import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, encodeButtonValue } from '../../../src/slack/blocks/ids.js';
import { LIVE_CHECK_BURST } from '../../../src/bot/person-limits.js';
import { MOTO_ACCOUNT } from '../../support/aws.js';
import {
  ADMIN,
  ANN,
  answerText,
  SECURITY_CHANNEL,
  SIGNING_SECRET,
  startBotWorld,
  type BotWorld,
} from '../harness/bot.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.stop();
});

/** Audit lines are written once the answer is out: wait for them. */
async function auditLines(count: (lines: string[]) => boolean): Promise<string[]> {
  const lines = () => w.logs.filter((l) => / info {2}audit /.test(l));
  for (let i = 0; i < 50 && !count(lines()); i++) await new Promise((r) => setTimeout(r, 20));
  return lines();
}

const iamCalls = async () => Object.values((await w.moto.calls()).iam ?? {}).reduce((a, b) => a + b, 0);

describe('per-person limits', () => {
  it(
    `a non-admin flooding /mfa-check me --fresh gets ${LIVE_CHECK_BURST} ` +
      'live checks; every other answer is the last seen, and says so',
    async () => {
      await w.moto.resetCalls();
      const n = 30;
      await Promise.all(Array.from({ length: n }, (_, i) => w.command('me --fresh', ANN, `flood-${i}`)));
      const answers = await Promise.all(
        Array.from({ length: n }, async (_, i) => answerText((await w.responses.waitFor(`flood-${i}`))[0]!.body)),
      );
      const live = answers.filter((a) => a.includes('Checked live with AWS'));
      const limited = answers.filter((a) => a.includes('Not checked live this time'));
      expect(live).toHaveLength(LIVE_CHECK_BURST);
      expect(limited).toHaveLength(n - LIVE_CHECK_BURST);
      expect(limited[0]).toMatch(/more often than once a minute/);
      expect(limited[0]).toMatch(/You can check live again from \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(limited[0]).toContain('ann.smith');
      // Two IAM users map to ann; a live check of one is three IAM calls.
      expect(await iamCalls()).toBeLessThanOrEqual(LIVE_CHECK_BURST * 2 * 3);

      // "I've turned on MFA, check again" draws on the same share.
      const nudge = await w.postNudge(ANN);
      await w.press({
        userId: ANN,
        actionId: ACTION_IDS.recheck,
        value: encodeButtonValue({ accountId: MOTO_ACCOUNT, userName: 'ann.smith' }),
        channelId: nudge.channel,
        messageTs: nudge.ts,
        responseId: 'recheck-limited',
      });
      const limitedReply = answerText((await w.responses.waitFor('recheck-limited'))[0]!.body);
      expect(limitedReply).toMatch(
        /didn’t check .*ann\.smith.* again: you asked for live checks more often than once a minute/,
      );
      expect(limitedReply).toMatch(/The last I saw:.*ann\.smith.*Seen live at/);
      expect(await iamCalls()).toBeLessThanOrEqual(LIVE_CHECK_BURST * 2 * 3);
    },
  );

  it('an admin’s live checks are not limited', async () => {
    await Promise.all(
      Array.from({ length: LIVE_CHECK_BURST + 2 }, (_, i) => w.command('user ann.smith --fresh', ADMIN, `admin-${i}`)),
    );
    for (let i = 0; i < LIVE_CHECK_BURST + 2; i++)
      expect(answerText((await w.responses.waitFor(`admin-${i}`))[0]!.body)).toContain('Checked live with AWS');
  });

  it(
    '"I need help" pressed 30 times posts once in the security ' +
      'channel; the other presses are told it was passed on',
    async () => {
      const before = w.slack.messages({ channel: SECURITY_CHANNEL }).length;
      const nudge = await w.postNudge(ANN);
      const value = encodeButtonValue({ accountId: MOTO_ACCOUNT, userName: 'ann.smith' });
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          w.press({
            userId: ANN,
            actionId: ACTION_IDS.help,
            value,
            channelId: nudge.channel,
            messageTs: nudge.ts,
            responseId: `help-${i}`,
          }),
        ),
      );
      const replies = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => answerText((await w.responses.waitFor(`help-${i}`))[0]!.body)),
      );
      expect(w.slack.messages({ channel: SECURITY_CHANNEL }).length - before).toBe(1);
      expect(
        replies.filter((r) => r.includes('someone will reach out to you') && !r.includes('already told')),
      ).toHaveLength(1);
      expect(replies.filter((r) => r.includes('I already told the security team at'))).toHaveLength(29);
    },
  );
});

describe('the audit log', () => {
  it('logs who asked what and the outcome at info, for commands and buttons, and never a token', async () => {
    await w.command('user bob', ADMIN, 'audit-admin');
    await w.responses.waitFor('audit-admin');
    await w.command('user bob', ANN, 'audit-refused');
    await w.responses.waitFor('audit-refused');
    const nudge = await w.postNudge(ANN);
    await w.press({
      userId: ANN,
      actionId: ACTION_IDS.snooze1d,
      value: encodeButtonValue({ accountId: MOTO_ACCOUNT, userName: 'ann.smith' }),
      channelId: nudge.channel,
      messageTs: nudge.ts,
      responseId: 'audit-snooze',
    });
    await w.responses.waitFor('audit-snooze');
    const audit = await auditLines((lines) => lines.some((l) => l.includes('snoozed until')));
    expect(audit).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `audit user=${ADMIN} action="/mfa-check" target="user bob" ` +
            `result="from the scan: 1 login: bob@${MOTO_ACCOUNT} pass"`,
        ),
      ),
    );
    expect(audit).toContainEqual(
      expect.stringMatching(
        new RegExp(`audit user=${ANN} action="/mfa-check" target="user bob" result="refused: not an admin"`),
      ),
    );
    expect(audit).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `audit user=${ANN} action="the \\\\"snooze\\\\" button" ` +
            `target="ann.smith in ${MOTO_ACCOUNT}" result="snoozed until `,
        ),
      ),
    );
    expect(audit).toContainEqual(
      expect.stringMatching(
        new RegExp(`audit user=${ANN} action="/mfa-check" target="me --fresh" result="checked live: 2 logins: `),
      ),
    );
    expect(audit).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `audit user=${ANN} action="the \\\\"I need help\\\\" button" ` +
            `target="ann.smith in ${MOTO_ACCOUNT}" result="posted in ${SECURITY_CHANNEL}"`,
        ),
      ),
    );
    const all = w.logs.join('');
    expect(all).not.toContain(w.slack.botToken);
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain(w.responses.url(''));
  });

  it('never logs the command text as typed, which could hold anything', async () => {
    await w.command('xoxb-pasted-by-mistake-1234', ANN, 'audit-junk');
    await w.responses.waitFor('audit-junk');
    expect(w.logs.filter((l) => l.includes(' audit '))).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `audit user=${ANN} action="/mfa-check" target="\\(not a ` +
            `/mfa-check question\\)" result="usage: not understood"`,
        ),
      ),
    );
    expect(w.logs.join('')).not.toContain('pasted-by-mistake');
  });
});
