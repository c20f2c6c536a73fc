import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { SlackApi } from '../../../slack/api.js';
import { buildCannotDecide, buildExemptModal, buildNotApprover } from '../../../slack/blocks/enforcement.js';
import type { SlackMessage } from '../../../slack/blocks/format.js';
import { BLOCK_IDS, decodeButtonValue, ENFORCE_ACTION_IDS } from '../../../slack/blocks/ids.js';
import { buildInternalError } from '../../../slack/blocks/mfa-check/usage.js';
import { approversFromConfig } from '../../approvers.js';
import { audit } from '../../audit.js';
import type { BotDeps } from '../../deps.js';
import type { EnforcementPorts } from '../../enforcement-decisions.js';
import type { IamUserRef } from '../../ports.js';
import { describeError, safeRespond } from '../../respond.js';
import type { EnforcementDecision } from '../../deferred-tasks.js';
import { deferrerFor } from '../../deferrer.js';
import { DECISION_BUTTONS } from '../../enforcement-task.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

interface Press {
  ref: IamUserRef;
  presserId: string;
  ports: EnforcementPorts;
  slack: SlackApi;
}

async function ephemeral(args: ButtonArgs, deps: BotDeps, what: string, message: SlackMessage): Promise<void> {
  await safeRespond(args.respond, { response_type: 'ephemeral', replace_original: false, ...message }, deps.log, what);
}

/**
 * The frame of every enforcement button: acknowledge, read the IAM user from the value, let only approvers
 * (enforcement.approvers, else the Slack admins) through, and answer a refusal or a failure with an ephemeral
 * message; nothing changes for anyone else. One audit line per press.
 */
function approverButton(
  deps: BotDeps,
  what: string,
  handle: (press: Press, args: ButtonArgs) => Promise<string | undefined>,
) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const presserId = args.body.user.id;
    const ref = decodeButtonValue(args.action.value);
    const target = ref ? `${ref.userName} in ${ref.accountId}` : '(a button value that is not ours)';
    const done = (result: string) => audit(deps.log, { user: presserId, action: what, target, result });
    try {
      if (!ref) {
        deps.log.warn(`${what}: ignored a button whose value is not ours`);
        return done('ignored');
      }
      if (!(await approversFromConfig(deps.config, deps.admins).isAdmin(presserId))) {
        await ephemeral(args, deps, what, buildNotApprover());
        return done('refused: not an approver');
      }
      const ports = deps.ports.enforcement;
      if (!ports) {
        await ephemeral(args, deps, what, buildCannotDecide('this host keeps no enforcement state'));
        return done('refused: no enforcement state');
      }
      // Undefined: handed on, and the task writes the press's audit line when it is done.
      const result = await handle({ ref, presserId, ports, slack: new SlackApi(args.client) }, args);
      if (result !== undefined) done(result);
    } catch (err) {
      deps.log.error(`${what} failed for ${presserId}: ${describeError(err)}`);
      done('error (see the log line before)');
      await ephemeral(args, deps, what, buildInternalError());
    }
  };
}

/**
 * Enforce, 7 more days and Lift: after the approver check, the decision goes to the Deferrer (the Lambda worker:
 * attaching through a member's audit role can outlast Slack's 3 seconds), which audits it and answers a refusal.
 */
function decisionButton(deps: BotDeps, decision: EnforcementDecision) {
  return approverButton(deps, DECISION_BUTTONS[decision], async (p, args) => {
    await deferrerFor(deps, args.client).defer({
      kind: 'enforcement',
      decision,
      ref: p.ref,
      approverId: p.presserId,
      ...(args.body.response_url ? { responseUrl: args.body.response_url } : {}),
    });
    return undefined;
  });
}

export const enforceButton = (deps: BotDeps) => decisionButton(deps, 'enforce');
export const postponeButton = (deps: BotDeps) => decisionButton(deps, 'postpone');
export const liftButton = (deps: BotDeps) => decisionButton(deps, 'lift');

/** "Exempt…": opens the modal; the decision is taken when it is submitted (exemptModal). */
export function exemptButton(deps: BotDeps) {
  const what = 'the "Exempt…" button';
  return approverButton(deps, what, async (p, args) => {
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: buildExemptModal({
        account: { accountId: p.ref.accountId, partition: 'aws' },
        userName: p.ref.userName,
        value: args.action.value ?? '',
        today: deps.now(),
      }),
    });
    return 'modal opened';
  });
}

/** A date-only expiry covers its whole day (UTC), as in the config. */
function expiryOf(day: string | null | undefined): Date | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(start.getTime()) ? undefined : new Date(start.getTime() + 86_400_000);
}

/** The Exempt… modal submitted: approvers only (checked again), a reason and a future expiry. */
export function exemptModal(deps: BotDeps) {
  const what = 'the Exempt… modal';
  return async (args: ViewArgs): Promise<void> => {
    const presserId = args.body.user.id;
    const ref = decodeButtonValue(args.view.private_metadata);
    const values = args.view.state.values;
    const reason = values[BLOCK_IDS.exemptReason]?.[ENFORCE_ACTION_IDS.exemptReason]?.value?.trim() ?? '';
    const expires = expiryOf(values[BLOCK_IDS.exemptExpiry]?.[ENFORCE_ACTION_IDS.exemptExpiry]?.selected_date);
    const target = ref ? `${ref.userName} in ${ref.accountId}` : '(a modal that is not ours)';
    const done = (result: string) => audit(deps.log, { user: presserId, action: what, target, result });
    const errors: Record<string, string> = {};
    if (reason.length < 3) errors[BLOCK_IDS.exemptReason] = 'Give a reason a person can read (3 characters or more).';
    if (!expires || expires <= deps.now()) errors[BLOCK_IDS.exemptExpiry] = 'Pick a day from today on.';
    if (!ref || Object.keys(errors).length > 0) {
      await args.ack(ref ? { response_action: 'errors', errors } : undefined);
      return done(ref ? 'refused: incomplete' : 'ignored');
    }
    if (!(await approversFromConfig(deps.config, deps.admins).isAdmin(presserId))) {
      await args.ack({ response_action: 'errors', errors: { [BLOCK_IDS.exemptReason]: buildNotApprover().text } });
      return done('refused: not an approver');
    }
    await args.ack();
    try {
      const ports = deps.ports.enforcement;
      if (!ports) return done('refused: no enforcement state');
      const result = await ports.exempt(ref, { reason, expires: expires! }, presserId, new SlackApi(args.client));
      done(result.ok ? result.done : `not done: ${result.reason}`);
    } catch (err) {
      deps.log.error(`${what} failed for ${presserId}: ${describeError(err)}`);
      done('error (see the log line before)');
    }
  };
}
