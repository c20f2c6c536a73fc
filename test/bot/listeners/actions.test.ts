import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../support/until.js';
import { ACTION_IDS, CHECK_ACTION_IDS, encodeButtonValue } from '../../../src/slack/blocks/ids.js';
import type { StateStore } from '../../../src/store/store.js';
import { enableVirtualMfa, MOTO_ACCOUNT, motoClients } from '../../support/aws.js';
import { ADMIN, ANN, answerText, BOB, SECURITY_CHANNEL, startBotWorld, type BotWorld } from '../harness/bot.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.stop();
});

const annSmith = encodeButtonValue({ accountId: MOTO_ACCOUNT, userName: 'ann.smith' });
const store = (): StateStore => w.server.store!;
const caseOf = async (userName: string) =>
  (await store().cases({ accountId: MOTO_ACCOUNT, userName, latestOnly: true }))[0];

async function pressOnNudge(actionId: string, presser: string, id: string, value = annSmith) {
  const nudge = await w.postNudge(ANN);
  const res = await w.press({
    userId: presser,
    actionId,
    value,
    channelId: nudge.channel,
    messageTs: nudge.ts,
    responseId: id,
  });
  expect(res.status).toBe(200);
  return nudge;
}

function enableMfa(userName: string): Promise<string> {
  return enableVirtualMfa(motoClients(w.moto).iam, userName);
}

describe('nudge buttons', () => {
  it('"check again" says what is still missing while MFA is off, and leaves the nudge alone', async () => {
    await pressOnNudge(ACTION_IDS.recheck, ANN, 'recheck-missing');
    const [reply] = await w.responses.waitFor('recheck-missing');
    expect(reply!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answerText(reply!.body)).toContain('still has no MFA device');
    expect(w.slack.countCalls('chat.update')).toBe(0);
  });

  it('only the person the nudge is for, or an admin, may press it; nothing leaks to others', async () => {
    await pressOnNudge(ACTION_IDS.recheck, BOB, 'recheck-by-bob');
    const [reply] = await w.responses.waitFor('recheck-by-bob');
    expect(answerText(reply!.body)).toContain('for the person the reminder was sent to');
    expect(answerText(reply!.body)).not.toContain('ann.smith');
    await pressOnNudge(ACTION_IDS.snooze1d, BOB, 'snooze-by-bob');
    await w.responses.waitFor('snooze-by-bob');
    expect(await store().snoozes({ userName: 'ann.smith' })).toHaveLength(0);
    await pressOnNudge(ACTION_IDS.recheck, ADMIN, 'recheck-by-admin');
    expect(answerText((await w.responses.waitFor('recheck-by-admin'))[0]!.body)).toContain('still has no MFA device');
  });

  it('"snooze 1 day" records the snooze and confirms', async () => {
    await pressOnNudge(ACTION_IDS.snooze1d, ANN, 'snooze');
    const [reply] = await w.responses.waitFor('snooze');
    expect(answerText(reply!.body)).toContain('Snoozed');
    const snooze = (await store().snoozes({ userName: 'ann.smith' }))[0]!;
    expect(snooze).toMatchObject({ accountId: MOTO_ACCOUNT, userName: 'ann.smith', by: ANN });
    expect(snooze.until.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
  });

  it(
    '"I need help" tells the security channel who needs help with ' +
      'which IAM user, and the person that someone will reach out',
    async () => {
      await pressOnNudge(ACTION_IDS.help, ANN, 'help');
      const [reply] = await w.responses.waitFor('help');
      expect(answerText(reply!.body)).toContain('someone will reach out');
      const posted = w.slack.messages({ channel: SECURITY_CHANNEL });
      expect(posted).toHaveLength(1);
      expect(JSON.stringify(posted[0]!.blocks)).toContain(`<@${ANN}> needs help turning on MFA for \`ann.smith\``);
      expect(await store().helpRequests({ userName: 'ann.smith' })).toEqual([
        expect.objectContaining({ userName: 'ann.smith', slackUserId: ANN }),
      ]);
    },
  );

  it('"I need help" apologises when the channel refuses the post', async () => {
    w.slack.failNext('chat.postMessage', 'not_in_channel', 1, {}, (p) => p.channel === SECURITY_CHANNEL);
    // An admin's press: ann's own request was passed on in the test before, and is not posted twice.
    await pressOnNudge(ACTION_IDS.help, ADMIN, 'help-refused');
    const [refused] = await w.responses.waitFor('help-refused');
    expect(answerText(refused!.body)).toContain('couldn’t pass your request on');
    expect(w.logs.join('')).toMatch(/could not post to C0SECURITY1: not_in_channel/);
  });

  it('ignores a button value the bot never wrote', async () => {
    await pressOnNudge(ACTION_IDS.recheck, ANN, 'forged', '{"a":"<!channel>"}');
    await new Promise((r) => setTimeout(r, 300));
    expect(w.responses.for('forged')).toHaveLength(0);
    expect(w.logs.join('')).toContain('ignored a button whose value is not ours');
  });

  it('"check again" after MFA was turned on replaces the nudge with a thank-you (chat.update)', async () => {
    await enableMfa('ann.smith');
    const nudge = await pressOnNudge(ACTION_IDS.recheck, ANN, 'recheck-fixed');
    await until(() => Boolean(w.slack.messages({ channel: nudge.channel }).find((m) => m.ts === nudge.ts)?.edited));
    const updated = w.slack.messages({ channel: nudge.channel }).find((m) => m.ts === nudge.ts)!;
    expect(updated.edited).toBe(true);
    expect(updated.text).toContain('Thank you! MFA is now on for your AWS console login ann.smith');
    expect(JSON.stringify(updated.blocks)).toContain(`<@${ANN}>`);
    expect((await caseOf('ann.smith'))?.resolution).toBe('fixed');
    expect(w.responses.for('recheck-fixed')).toHaveLength(0);

    // /mfa-check agrees with the thank-you, though the scan it answers from is older.
    await w.command('', ANN, 'after-thanks');
    const answer = answerText((await w.responses.waitFor('after-thanks'))[0]!.body);
    expect(answer).toMatch(/ann\.smith[^\n]*Seen live at \d{4}-\d\d-\d\d \d\d:\d\d UTC; the scan is older/);
    expect(answer).not.toContain('No MFA');
  });

  it(
    '"check again" for a login that no longer has a password ' +
      'says so in place of the nudge, and closes it as no-console',
    async () => {
      const carol = encodeButtonValue({ accountId: MOTO_ACCOUNT, userName: 'carol' });
      // An earlier scan saw carol's password without MFA; it was deleted since.
      await store().applyCaseChanges([
        {
          type: 'open',
          accountId: MOTO_ACCOUNT,
          userName: 'carol',
          cycle: 1,
          status: 'fail',
          at: new Date(Date.now() - 86_400_000),
        },
      ]);
      const nudge = await pressOnNudge(ACTION_IDS.recheck, ADMIN, 'recheck-carol', carol);
      await until(async () => Boolean((await caseOf('carol'))?.resolvedAt));
      expect((await caseOf('carol'))?.resolution).toBe('no-console');
      expect(w.slack.messages({ channel: nudge.channel }).find((m) => m.ts === nudge.ts)?.text).toMatch(
        /^Done: carol .* needs no MFA: it has no console password any more/,
      );
    },
  );
});

describe('"Check again" under an answer', () => {
  it('asks the same question live and replaces the answer', async () => {
    const res = await w.press({
      userId: BOB,
      actionId: CHECK_ACTION_IDS.checkAgain,
      value: 'me',
      channelId: 'C0GENERAL01',
      messageTs: '1.2',
      ephemeral: true,
      blockId: 'mfa_check_actions',
      responseId: 'check-again',
    });
    expect(res.status).toBe(200);
    const [reply] = await w.responses.waitFor('check-again');
    expect(reply!.body).toMatchObject({ replace_original: true });
    expect(answerText(reply!.body)).toContain('Checked live with AWS');
    expect(answerText(reply!.body)).toContain('`bob`');
  });

  it('applies the admin check to the question it carries', async () => {
    await w.press({
      userId: BOB,
      actionId: CHECK_ACTION_IDS.checkAgain,
      value: `<@${ANN}>`,
      channelId: 'C0GENERAL01',
      messageTs: '1.3',
      ephemeral: true,
      responseId: 'check-again-other',
    });
    expect(answerText((await w.responses.waitFor('check-again-other'))[0]!.body)).toContain('Only MFA bot admins');
  });
});

describe('when chat.update cannot replace the nudge', () => {
  it('replaces it through the response URL instead', async () => {
    await enableMfa('ann.smith').catch(() => undefined);
    w.slack.failNext('chat.update', 'message_not_found');
    await pressOnNudge(ACTION_IDS.recheck, ANN, 'recheck-update-failed');
    const [reply] = await w.responses.waitFor('recheck-update-failed');
    expect(reply!.body).toMatchObject({ replace_original: true });
    expect(String(reply!.body.text)).toContain('Thank you!');
    expect(w.logs.join('')).toMatch(/chat.update of the nudge failed \(message_not_found\)/);
  });
});
