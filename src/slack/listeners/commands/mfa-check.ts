import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildScanStarted } from '../../blocks/check-account.js';
import { buildInternalError, buildRefusal } from '../../blocks/check-usage.js';
import { answerCheckOrApologise } from '../../app/answer-check.js';
import { parseCheckCommand, type ParsedCheck } from '../../app/check-command.js';
import { deferrerFor } from '../../app/deferrer.js';
import type { BotDeps } from '../../app/deps.js';
import { describeError, safeRespond } from '../../app/respond.js';

export const MFA_CHECK_COMMAND = '/mfa-check';

/** A live check (`--fresh`) and a scan are slow: they go to the Deferrer, which answers through the response URL. */
function isSlow(query: ParsedCheck): boolean {
  return query.kind === 'scan' || ('fresh' in query && query.fresh);
}

/** Acknowledges at once (Slack allows 3 seconds), then answers through the response URL, visible to the asker only. */
export function mfaCheck(deps: BotDeps) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const query = parseCheckCommand(command.text);
    if (isSlow(query) && command.response_url) {
      // Say at once that a scan is under way; but only to an admin (the deferred answer checks again).
      if (query.kind === 'scan') {
        const admin = await deps.admins.isAdmin(command.user_id);
        await safeRespond(respond, { response_type: 'ephemeral', ...(admin ? buildScanStarted() : buildRefusal()) }, deps.log, MFA_CHECK_COMMAND);
        if (!admin) return;
      }
      try {
        await deferrerFor(deps, client).defer({ kind: 'check', text: command.text, askerId: command.user_id, responseUrl: command.response_url, replaceOriginal: false });
      } catch (err) {
        deps.log.error(`${MFA_CHECK_COMMAND} could not be handed on for ${command.user_id}: ${describeError(err)}`);
        await safeRespond(respond, { response_type: 'ephemeral', ...buildInternalError() }, deps.log, MFA_CHECK_COMMAND);
      }
      return;
    }
    const message = await answerCheckOrApologise(command.text, command.user_id, deps, MFA_CHECK_COMMAND);
    await safeRespond(respond, { response_type: 'ephemeral', ...message }, deps.log, MFA_CHECK_COMMAND);
  };
}
