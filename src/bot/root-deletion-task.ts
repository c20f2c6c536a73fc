import type { RootDeletionOutcome } from '../domain/root-access.js';
import type { SlackMessage } from '../slack/blocks/format.js';
import { section } from '../slack/blocks/limits.js';
import { buildRootDeleteOutcome, buildRootDeleteUnavailable } from '../slack/blocks/root-delete.js';
import { isSlackUserId } from '../slack/mrkdwn.js';
import { audit } from './audit.js';
import type { DeferredRootDeletion } from './deferred-tasks.js';
import type { BotDeps } from './deps.js';
import { describeError } from './respond.js';

export const ROOT_DELETE_MODAL_WHAT = 'the "Delete root credentials" modal';

/** What the deletion needs of the Deferrer's deps (deferrer.ts passes all of them). */
type DeletionDeps = Pick<BotDeps, 'now' | 'log' | 'rootCredentials'> & {
  postMessage(channel: string, message: SlackMessage): Promise<void>;
};

/** A task from another process is checked before anything is done with it. */
export function isRootDeletionTask(task: DeferredRootDeletion): boolean {
  return (
    /^\d{12}$/.test(String(task.accountId)) &&
    isSlackUserId(String(task.approverId)) &&
    /^[CDG][A-Z0-9]+$/.test(String(task.channel))
  );
}

function auditResult(outcome: RootDeletionOutcome): string {
  if (outcome.kind === 'deleted') return 'deleted';
  if (outcome.kind === 'already')
    return `not deleted again: ${outcome.inProgress ? 'being deleted' : 'deleted'} by ${outcome.by}`;
  return `not deleted: ${outcome.reason}`;
}

function internalError(task: DeferredRootDeletion): SlackMessage {
  const text =
    `:warning: Root credentials of account \`${task.accountId}\` were not deleted (asked by <@${task.approverId}>): ` +
    'mfa-bot failed on its side (the details are in its log). Press the button again; a deletion that got under ' +
    'way is finished, never repeated.';
  return { text, blocks: [section(text)] };
}

/**
 * Posts where the button was; when the bot cannot post there (a channel it is not in, for a button under an
 * ephemeral `/mfa-check root` answer), to the approver's DM with the bot instead.
 */
async function tell(deps: DeletionDeps, task: DeferredRootDeletion, message: SlackMessage): Promise<void> {
  try {
    return await deps.postMessage(task.channel, message);
  } catch (err) {
    deps.log.warn(
      `${ROOT_DELETE_MODAL_WHAT}: could not post the outcome in ${task.channel} (${describeError(err)}); ` +
        `sending it to ${task.approverId} instead`,
    );
  }
  try {
    await deps.postMessage(task.approverId, message);
  } catch (err) {
    deps.log.error(`${ROOT_DELETE_MODAL_WHAT}: the outcome reached nobody: ${describeError(err)}`);
  }
}

/** Deletes as the approver decided (approval was checked when the modal was submitted), and says what came of it. */
export async function runRootDeletion(task: DeferredRootDeletion, deps: DeletionDeps): Promise<void> {
  const done = (result: string) =>
    audit(deps.log, { user: task.approverId, action: ROOT_DELETE_MODAL_WHAT, target: task.accountId, result });
  let message: SlackMessage;
  if (!deps.rootCredentials) {
    const text = buildRootDeleteUnavailable().text;
    message = { text, blocks: [section(text)] };
    done('refused: no management account clients');
  } else {
    try {
      const outcome = await deps.rootCredentials(task.accountId, task.approverId);
      message = buildRootDeleteOutcome(outcome, deps.now());
      done(auditResult(outcome));
    } catch (err) {
      deps.log.error(`${ROOT_DELETE_MODAL_WHAT} failed for ${task.approverId}: ${describeError(err)}`);
      done('error (see the log line before)');
      message = internalError(task);
    }
  }
  await tell(deps, task, message);
}
