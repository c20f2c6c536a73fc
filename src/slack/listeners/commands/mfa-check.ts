import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildInternalError } from '../../blocks/check-usage.js';
import type { SlackMessage } from '../../blocks/format.js';
import { answerCheck } from '../../app/answer-check.js';
import type { BotDeps } from '../../app/deps.js';
import { describeError, safeRespond } from '../../app/respond.js';

export const MFA_CHECK_COMMAND = '/mfa-check';

/** Acknowledges at once (Slack allows 3 seconds), then answers through the response URL, visible to the asker only. */
export function mfaCheck(deps: BotDeps) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs): Promise<void> => {
    await ack();
    let message: SlackMessage;
    try {
      message = await answerCheck(command.text, command.user_id, deps);
    } catch (err) {
      deps.log.error(`${MFA_CHECK_COMMAND} failed for ${command.user_id}: ${describeError(err)}`);
      message = buildInternalError();
    }
    await safeRespond(respond, { response_type: 'ephemeral', ...message }, deps.log, MFA_CHECK_COMMAND);
  };
}
