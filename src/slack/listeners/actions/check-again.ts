import { buildInternalError } from '../../blocks/check-usage.js';
import type { SlackMessage } from '../../blocks/format.js';
import { answerCheck } from '../../app/answer-check.js';
import type { BotDeps } from '../../app/deps.js';
import { describeError, safeRespond } from '../../app/respond.js';
import type { ButtonArgs } from './nudge-button.js';

const WHAT = 'the "Check again" button';

/**
 * "Check again" under a /mfa-check answer: the same question, live, in place of the answer. The value is
 * command text, so it goes through the same strict parser and the same admin check as a typed command.
 */
export function checkAgain(deps: BotDeps) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    let message: SlackMessage;
    try {
      message = await answerCheck(`${action.value ?? ''} --fresh`, body.user.id, deps);
    } catch (err) {
      deps.log.error(`${WHAT} failed for ${body.user.id}: ${describeError(err)}`);
      message = buildInternalError();
    }
    await safeRespond(respond, { response_type: 'ephemeral', replace_original: true, ...message }, deps.log, WHAT);
  };
}
