import type { SlackMessage } from '../../blocks/format.js';
import { buildConsoleLoginGone, buildStillMissing } from '../../blocks/recheck-result.js';
import { buildThankYou } from '../../blocks/thank-you.js';
import { rowState } from '../../blocks/user-status.js';
import type { BotDeps } from '../../app/deps.js';
import { describeError, safeRespond } from '../../app/respond.js';
import { liveRow } from '../../app/status-rows.js';
import { nudgeButton, type ClaimedPress } from './nudge-button.js';

const WHAT = 'the "check again" button';

/**
 * Replaces the nudge itself; through the response URL when chat.update cannot (say, the message is gone).
 * Returns the message it updated in place, if it could.
 */
async function replaceNudge({ args }: ClaimedPress, message: SlackMessage, deps: BotDeps): Promise<{ channel: string; ts: string } | undefined> {
  const { body, client } = args;
  const channel = body.container?.channel_id ?? body.channel?.id;
  const ts = body.container?.message_ts ?? body.message?.ts;
  if (channel && ts && !body.container?.is_ephemeral) {
    try {
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
      return { channel, ts };
    } catch (err) {
      deps.log.warn(`${WHAT}: chat.update of the nudge failed (${describeError(err)}); replacing it through the response URL`);
    }
  }
  await safeRespond(args.respond, { replace_original: true, ...message }, deps.log, WHAT);
  return undefined;
}

/** "I've turned on MFA, check again": a live check now; a thank-you in place of the nudge, or what is still missing. */
export function recheck(deps: BotDeps) {
  return nudgeButton(deps, WHAT, async (press) => {
    const { ref, presserId, ownerId } = press;
    const now = deps.now();
    const latest = await deps.ports.latestScan();
    const row = liveRow(await deps.ports.recheck(ref), latest?.scan);
    const state = rowState(row);
    if (state === 'pass' || state === 'pass-not-hardware') {
      const replaced = await replaceNudge(press, buildThankYou({ account: row.account, userName: row.userName, slackUserId: ownerId ?? presserId, now }), deps);
      await deps.ports.markResolved(ref, now, replaced);
      deps.log.info(`${ref.userName} in ${ref.accountId} has MFA now (checked live for ${presserId})`);
    } else if (state === 'no-console' || state === 'missing') {
      const replaced = await replaceNudge(press, buildConsoleLoginGone(row.account, row.userName, now, state), deps);
      await deps.ports.markResolved(ref, now, replaced);
    } else {
      await safeRespond(press.args.respond, { response_type: 'ephemeral', replace_original: false, ...buildStillMissing(row, now) }, deps.log, WHAT);
    }
  });
}
