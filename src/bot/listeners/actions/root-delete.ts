import {
  buildRootDeleteOutcome,
  buildRootDeleteRefusedForNonApprover,
  buildRootDeleteUnavailable,
} from '../../../slack/blocks/root-delete.js';
import { buildInternalError } from '../../../slack/blocks/mfa-check/usage.js';
import { approversFromConfig } from '../../approvers.js';
import { audit } from '../../audit.js';
import type { BotDeps } from '../../deps.js';
import { describeError, safeRespond } from '../../respond.js';
import type { ButtonArgs } from './nudge-button.js';

const WHAT = 'the "Delete root credentials" button';

/**
 * "Delete root credentials" (confirmed in Slack's dialog, which names the account): approvers only, checked here
 * again whatever the message showed; the outcome goes to the channel, naming who decided.
 */
export function rootDeleteButton(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const presserId = args.body.user.id;
    const accountId = args.action.value ?? '';
    const done = (result: string) => audit(deps.log, { user: presserId, action: WHAT, target: accountId, result });
    const ephemeral = (message: { text: string }) =>
      safeRespond(args.respond, { response_type: 'ephemeral', replace_original: false, ...message }, deps.log, WHAT);
    try {
      if (!/^\d{12}$/.test(accountId)) {
        deps.log.warn(`${WHAT}: ignored a button whose value is not an account ID`);
        return done('ignored');
      }
      if (!(await approversFromConfig(deps.config, deps.admins).isAdmin(presserId))) {
        await ephemeral(buildRootDeleteRefusedForNonApprover());
        return done('refused: not an approver');
      }
      if (!deps.rootCredentials) {
        await ephemeral(buildRootDeleteUnavailable());
        return done('refused: no management account clients');
      }
      const outcome = await deps.rootCredentials(accountId, presserId);
      await safeRespond(
        args.respond,
        { response_type: 'in_channel', replace_original: false, ...buildRootDeleteOutcome(outcome, deps.now()) },
        deps.log,
        WHAT,
      );
      done(
        outcome.kind === 'deleted'
          ? 'deleted'
          : outcome.kind === 'already'
            ? `not deleted again: ${outcome.inProgress ? 'being deleted' : 'deleted'} by ${outcome.by}`
            : `not deleted: ${outcome.reason}`,
      );
    } catch (err) {
      deps.log.error(`${WHAT} failed for ${presserId}: ${describeError(err)}`);
      done('error (see the log line before)');
      await ephemeral(buildInternalError());
    }
  };
}
