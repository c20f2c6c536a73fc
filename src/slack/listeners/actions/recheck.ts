import { deferrerFor } from '../../app/deferrer.js';
import type { BotDeps } from '../../app/deps.js';
import { nudgeButton } from './nudge-button.js';

const WHAT = 'the "check again" button';

/**
 * "I've turned on MFA, check again": once the presser may act on this IAM user, the live check goes to the
 * Deferrer, which replaces the nudge with a thank-you (chat.update) or says what is still missing.
 */
export function recheck(deps: BotDeps) {
  return nudgeButton(deps, WHAT, async ({ args, ref, presserId, ownerId }) => {
    const { body } = args;
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
  });
}
