import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import {
  buildRootDeleteModal,
  buildRootDeleteModalRefusal,
  buildRootDeleteModalUnderWay,
  buildRootDeleteRefusedForNonApprover,
  buildRootDeleteUnavailable,
  decodeRootDeleteTarget,
  decodeRootDeleteValue,
} from '../../../slack/blocks/root-delete.js';
import { buildInternalError } from '../../../slack/blocks/mfa-check/usage.js';
import { approversFromConfig } from '../../approvers.js';
import { audit } from '../../audit.js';
import { deferrerFor } from '../../deferrer.js';
import type { BotDeps } from '../../deps.js';
import { describeError, safeRespond } from '../../respond.js';
import { ROOT_DELETE_MODAL_WHAT } from '../../root-deletion-task.js';
import type { ButtonArgs } from './nudge-button.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const WHAT = 'the "Delete root credentials" button';

const isApprover = (deps: BotDeps, userId: string) => approversFromConfig(deps.config, deps.admins).isAdmin(userId);

/**
 * "Delete root credentials": approvers only (checked here, whatever the message showed), it opens the confirmation
 * modal naming the account; nothing is deleted until that is submitted (rootDeleteModal).
 */
export function rootDeleteButton(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const presserId = args.body.user.id;
    const account = decodeRootDeleteValue(args.action.value);
    const done = (result: string) =>
      audit(deps.log, { user: presserId, action: WHAT, target: account?.accountId ?? '(not ours)', result });
    const ephemeral = (message: { text: string }) =>
      safeRespond(args.respond, { response_type: 'ephemeral', replace_original: false, ...message }, deps.log, WHAT);
    try {
      const channel = args.body.channel?.id ?? args.body.container?.channel_id;
      if (!account || typeof channel !== 'string') {
        deps.log.warn(`${WHAT}: ignored a button whose value or channel is not ours`);
        return done('ignored');
      }
      if (!(await isApprover(deps, presserId))) {
        await ephemeral(buildRootDeleteRefusedForNonApprover());
        return done('refused: not an approver');
      }
      if (!deps.rootCredentials) {
        await ephemeral(buildRootDeleteUnavailable());
        return done('refused: no management account clients');
      }
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: buildRootDeleteModal({ account, channel }),
      });
      done('confirmation modal opened');
    } catch (err) {
      deps.log.error(`${WHAT} failed for ${presserId}: ${describeError(err)}`);
      done('error (see the log line before)');
      await ephemeral(buildInternalError());
    }
  };
}

/**
 * The confirmation modal submitted: approvers only (checked again: the modal was opened for someone, but this
 * is what decides), then the deletion goes to the Deferrer, which posts the outcome to the button's channel.
 */
export function rootDeleteModal(deps: BotDeps) {
  return async (args: ViewArgs): Promise<void> => {
    const presserId = args.body.user.id;
    const target = decodeRootDeleteTarget(args.view.private_metadata);
    const accountId = target?.account.accountId ?? '(a modal that is not ours)';
    const done = (result: string) =>
      audit(deps.log, { user: presserId, action: ROOT_DELETE_MODAL_WHAT, target: accountId, result });
    const refuse = (text: string) => args.ack({ response_action: 'update', view: buildRootDeleteModalRefusal(text) });
    if (!target) {
      await args.ack();
      return done('ignored');
    }
    if (!(await isApprover(deps, presserId))) {
      await refuse(buildRootDeleteRefusedForNonApprover().text);
      return done('refused: not an approver');
    }
    if (!deps.rootCredentials) {
      await refuse(buildRootDeleteUnavailable().text);
      return done('refused: no management account clients');
    }
    await args.ack({ response_action: 'update', view: buildRootDeleteModalUnderWay(target) });
    try {
      await deferrerFor(deps, args.client).defer({
        kind: 'root-delete',
        accountId: target.account.accountId,
        approverId: presserId,
        channel: target.channel,
      });
    } catch (err) {
      deps.log.error(`${ROOT_DELETE_MODAL_WHAT} could not be handed on for ${presserId}: ${describeError(err)}`);
      done('error: could not be handed on');
      const sorry = buildInternalError();
      await args.client.chat
        .postMessage({ channel: presserId, text: sorry.text, blocks: sorry.blocks })
        .catch(() => undefined);
    }
  };
}
