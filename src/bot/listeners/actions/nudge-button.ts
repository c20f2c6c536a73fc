import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildInternalError } from '../../../slack/blocks/mfa-check/usage.js';
import { decodeButtonValue } from '../../../slack/blocks/ids.js';
import { buildNotYours } from '../../../slack/blocks/nudge-replies.js';
import { audit } from '../../audit.js';
import { claimNudgeButton } from '../../button-owner.js';
import type { BotDeps } from '../../deps.js';
import type { IamUserRef } from '../../ports.js';
import { describeError, safeRespond } from '../../respond.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export interface ClaimedPress {
  args: ButtonArgs;
  ref: IamUserRef;
  presserId: string;
  /** The Slack user the IAM user maps to, when known. */
  ownerId?: string;
}

/**
 * The frame every nudge button shares: acknowledge at once, check that the presser may act on this IAM user,
 * run the handler, and turn any failure into a logged error and a short apology instead of a crash. One audit
 * line per press names the presser, the IAM user and what the handler says came of it.
 */
export function nudgeButton(deps: BotDeps, what: string, handle: (press: ClaimedPress) => Promise<string>) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const presserId = args.body.user.id;
    const pressed = decodeButtonValue(args.action.value);
    const target = pressed ? `${pressed.userName} in ${pressed.accountId}` : '(a button value that is not ours)';
    const done = (result: string) => audit(deps.log, { user: presserId, action: what, target, result });
    try {
      const claim = await claimNudgeButton(args.action.value, presserId, deps);
      if (!claim.ok) {
        if (claim.why === 'unreadable') deps.log.warn(`${what}: ignored a button whose value is not ours`);
        else
          await safeRespond(
            args.respond,
            { response_type: 'ephemeral', replace_original: false, ...buildNotYours() },
            deps.log,
            what,
          );
        done(claim.why === 'unreadable' ? 'ignored' : 'refused: not theirs and not an admin');
        return;
      }
      done(await handle({ args, ref: claim.ref, presserId, ...(claim.ownerId ? { ownerId: claim.ownerId } : {}) }));
    } catch (err) {
      deps.log.error(`${what} failed for ${presserId}: ${describeError(err)}`);
      done('error (see the log line before)');
      await safeRespond(
        args.respond,
        { response_type: 'ephemeral', replace_original: false, ...buildInternalError() },
        deps.log,
        what,
      );
    }
  };
}
