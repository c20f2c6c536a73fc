import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildScanStarted } from '../../../slack/blocks/mfa-check/account.js';
import { buildInternalError, buildRefusal } from '../../../slack/blocks/mfa-check/usage.js';
import { answerCheckOrApologise, checkTarget } from '../../mfa-check/answer.js';
import { audit } from '../../audit.js';
import { parseCheckCommand, type ParsedCheck } from '../../mfa-check/parse.js';
import { deferrerFor } from '../../deferrer.js';
import type { BotDeps } from '../../deps.js';
import { liveCheckRefusedUntil } from '../../person-limits.js';
import { describeError, safeRespond } from '../../respond.js';

export const MFA_CHECK_COMMAND = '/mfa-check';

function isFresh(query: ParsedCheck): boolean {
  return 'fresh' in query && query.fresh;
}

/**
 * Acknowledges at once (Slack allows 3 seconds), then answers through the response URL, visible to the asker only.
 * A live check (`--fresh`), a scan and `root` where this host reads the root access are slow: they go to the
 * Deferrer, which answers the same way; a live check beyond the person's share is answered at once from what was
 * last seen, and says so.
 */
export function mfaCheck(deps: BotDeps) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const asker = command.user_id;
    const query = parseCheckCommand(command.text);
    const answerNow = async (options: { liveRefusedUntil?: Date } = {}) => {
      const message = await answerCheckOrApologise(command.text, asker, deps, MFA_CHECK_COMMAND, options);
      await safeRespond(respond, { response_type: 'ephemeral', ...message }, deps.log, MFA_CHECK_COMMAND);
    };
    // `root` reads the organization's root access from AWS for an approver's buttons, where this host can.
    const slow = query.kind === 'scan' || isFresh(query) || (query.kind === 'root' && Boolean(deps.rootAccess));
    if (!slow || !command.response_url) return answerNow();

    if (query.kind === 'scan') {
      // Say at once that a scan is under way; but only to an admin (the deferred answer checks again).
      const admin = await deps.admins.isAdmin(asker);
      await safeRespond(
        respond,
        { response_type: 'ephemeral', ...(admin ? buildScanStarted() : buildRefusal()) },
        deps.log,
        MFA_CHECK_COMMAND,
      );
      if (!admin)
        return audit(deps.log, {
          user: asker,
          action: MFA_CHECK_COMMAND,
          target: checkTarget(query),
          result: 'refused: not an admin',
        });
    } else if (isFresh(query)) {
      const liveRefusedUntil = await liveCheckRefusedUntil(deps, asker);
      if (liveRefusedUntil) return answerNow({ liveRefusedUntil });
    }
    try {
      await deferrerFor(deps, client).defer({
        kind: 'check',
        text: command.text,
        askerId: asker,
        responseUrl: command.response_url,
        replaceOriginal: false,
      });
    } catch (err) {
      deps.log.error(`${MFA_CHECK_COMMAND} could not be handed on for ${asker}: ${describeError(err)}`);
      audit(deps.log, {
        user: asker,
        action: MFA_CHECK_COMMAND,
        target: checkTarget(query),
        result: 'error: could not be handed on',
      });
      await safeRespond(respond, { response_type: 'ephemeral', ...buildInternalError() }, deps.log, MFA_CHECK_COMMAND);
    }
  };
}
