import { buildInternalError } from '../../../slack/blocks/mfa-check/usage.js';
import { answerCheckOrApologise } from '../../mfa-check/answer.js';
import { deferrerFor } from '../../deferrer.js';
import type { BotDeps } from '../../deps.js';
import { liveCheckRefusedUntil } from '../../person-limits.js';
import { describeError, safeRespond } from '../../respond.js';
import type { ButtonArgs } from './nudge-button.js';

const WHAT = 'the "Check again" button';

/**
 * "Check again" under a /mfa-check answer: the same question, live, in place of the answer. The value is
 * command text, so it goes through the same strict parser and the same admin check as a typed command.
 * A live check is slow, so the Deferrer gives the answer (through the response URL); beyond the person's
 * share of live checks, the answer is what was last seen, at once, and says so.
 */
export function recheckAnswerButton(deps: BotDeps) {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const text = `${action.value ?? ''} --fresh`;
    if (!body.response_url) {
      deps.log.warn(`${WHAT}: no response URL to answer through`);
      return;
    }
    try {
      const liveRefusedUntil = await liveCheckRefusedUntil(deps, body.user.id);
      if (liveRefusedUntil) {
        const message = await answerCheckOrApologise(text, body.user.id, deps, WHAT, { liveRefusedUntil });
        await safeRespond(respond, { response_type: 'ephemeral', replace_original: true, ...message }, deps.log, WHAT);
        return;
      }
      await deferrerFor(deps, client).defer({
        kind: 'check',
        text,
        askerId: body.user.id,
        responseUrl: body.response_url,
        replaceOriginal: true,
      });
    } catch (err) {
      deps.log.error(`${WHAT} failed for ${body.user.id}: ${describeError(err)}`);
      await safeRespond(
        respond,
        { response_type: 'ephemeral', replace_original: true, ...buildInternalError() },
        deps.log,
        WHAT,
      );
    }
  };
}
