import { buildInternalError } from '../../blocks/check-usage.js';
import { deferrerFor } from '../../app/deferrer.js';
import type { BotDeps } from '../../app/deps.js';
import { describeError, safeRespond } from '../../app/respond.js';
import type { ButtonArgs } from './nudge-button.js';

const WHAT = 'the "Check again" button';

/**
 * "Check again" under a /mfa-check answer: the same question, live, in place of the answer. The value is
 * command text, so it goes through the same strict parser and the same admin check as a typed command.
 * A live check is slow, so the Deferrer gives the answer (through the response URL).
 */
export function checkAgain(deps: BotDeps) {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const text = `${action.value ?? ''} --fresh`;
    if (!body.response_url) {
      deps.log.warn(`${WHAT}: no response URL to answer through`);
      return;
    }
    try {
      await deferrerFor(deps, client).defer({ kind: 'check', text, askerId: body.user.id, responseUrl: body.response_url, replaceOriginal: true });
    } catch (err) {
      deps.log.error(`${WHAT} failed for ${body.user.id}: ${describeError(err)}`);
      await safeRespond(respond, { response_type: 'ephemeral', replace_original: true, ...buildInternalError() }, deps.log, WHAT);
    }
  };
}
