import { buildCannotDecide } from '../slack/blocks/enforcement.js';
import type { SlackMessage } from '../slack/blocks/format.js';
import { buildInternalError } from '../slack/blocks/mfa-check/usage.js';
import { isSlackUserId } from '../slack/mrkdwn.js';
import { audit } from './audit.js';
import { ENFORCEMENT_DECISIONS, type DeferredEnforcementDecision } from './deferred-tasks.js';
import type { BotDeps } from './deps.js';
import type { DecisionResult } from './enforcement-decisions.js';
import type { SlackApi } from '../slack/api.js';
import { describeError } from './respond.js';

export const DECISION_BUTTONS: Record<DeferredEnforcementDecision['decision'], string> = {
  enforce: 'the "Enforce" button',
  postpone: 'the "7 more days" button',
  lift: 'the "Lift" button',
};

type DecisionDeps = Pick<BotDeps, 'ports' | 'log'> & { slack: SlackApi };

/** A task from another process is checked before anything is done with it. */
export function isEnforcementTask(task: DeferredEnforcementDecision): boolean {
  return (
    ENFORCEMENT_DECISIONS.includes(task.decision) &&
    /^\d{12}$/.test(String(task.ref?.accountId)) &&
    typeof task.ref?.userName === 'string' &&
    task.ref.userName.length > 0 &&
    isSlackUserId(String(task.approverId))
  );
}

/**
 * Does what the approver decided (approval was checked when the button was pressed): the decision edits the
 * request itself; a refusal or a failure is told to the approver alone. One audit line per press.
 */
export async function runEnforcementDecision(
  task: DeferredEnforcementDecision,
  deps: DecisionDeps,
  respond: (message: SlackMessage) => Promise<unknown>,
): Promise<void> {
  const what = DECISION_BUTTONS[task.decision];
  const done = (result: string) =>
    audit(deps.log, {
      user: task.approverId,
      action: what,
      target: `${task.ref.userName} in ${task.ref.accountId}`,
      result,
    });
  const ports = deps.ports.enforcement;
  if (!ports) {
    await respond(buildCannotDecide('this host keeps no enforcement state'));
    return done('refused: no enforcement state');
  }
  let result: DecisionResult;
  try {
    result = await ports[task.decision](task.ref, task.approverId, deps.slack);
  } catch (err) {
    deps.log.error(`${what} failed for ${task.approverId}: ${describeError(err)}`);
    done('error (see the log line before)');
    await respond(buildInternalError());
    return;
  }
  if (result.ok) return done(result.done);
  await respond(buildCannotDecide(result.reason));
  done(`not done: ${result.reason}`);
}
