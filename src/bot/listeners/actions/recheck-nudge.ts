import { buildRecheckLimited } from '../../../slack/blocks/limit-replies.js';
import { deferrerFor } from '../../deferrer.js';
import type { BotDeps } from '../../deps.js';
import { liveCheckRefusedUntil } from '../../person-limits.js';
import { safeRespond } from '../../respond.js';
import { accountOf, scanRows, withLiveResults } from '../../status-rows.js';
import { nudgeButton } from './nudge-button.js';

const WHAT = 'the "check again" button';

/**
 * "I've turned on MFA, check again": once the presser may act on this IAM user (and has not used up their
 * live checks), the live check goes to the Deferrer, which replaces the nudge with a thank-you (chat.update)
 * or says what is still missing.
 */
export function recheckNudgeButton(deps: BotDeps) {
  return nudgeButton(deps, WHAT, async ({ args, ref, presserId, ownerId }) => {
    const { body } = args;
    const refusedUntil = await liveCheckRefusedUntil(deps, presserId);
    if (refusedUntil) {
      const latest = await deps.ports.latestScan();
      const [lastSeen] = latest
        ? await withLiveResults(deps.ports, latest.scan, [ref], scanRows(latest.scan, [ref]))
        : [];
      const reply = buildRecheckLimited(
        accountOf(latest?.scan, ref.accountId),
        ref.userName,
        refusedUntil,
        lastSeen,
        deps.now(),
      );
      await safeRespond(
        args.respond,
        { response_type: 'ephemeral', replace_original: false, ...reply },
        deps.log,
        WHAT,
      );
      return `live check refused (limit) until ${refusedUntil.toISOString()}`;
    }
    const channel = body.container?.channel_id ?? body.channel?.id;
    const ts = body.container?.message_ts ?? body.message?.ts;
    const nudge = channel && ts && !body.container?.is_ephemeral ? { channel, ts } : undefined;
    await deferrerFor(deps, args.client).defer({
      kind: 'recheck',
      ref,
      presserId,
      ...(ownerId ? { ownerId } : {}),
      ...(nudge ? { nudge } : {}),
      ...(body.response_url ? { responseUrl: body.response_url } : {}),
    });
    return 'handed to the live check (its outcome is logged when done)';
  });
}
