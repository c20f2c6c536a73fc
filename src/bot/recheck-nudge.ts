import { buildInternalError } from '../slack/blocks/mfa-check/usage.js';
import type { SlackMessage } from '../slack/blocks/format.js';
import { buildConsoleLoginGone, buildStillMissing } from '../slack/blocks/recheck-result.js';
import { buildThankYou } from '../slack/blocks/thank-you.js';
import { rowState } from '../domain/user-state.js';
import { audit } from './audit.js';
import type { DeferredRecheck } from './deferred-tasks.js';
import type { BotDeps } from './deps.js';
import { describeError } from './respond.js';
import { liveRow } from './status-rows.js';

const WHAT = 'the "check again" button';

export interface RecheckReplies {
  /** chat.update of the nudge; throws when Slack refuses. */
  updateNudge(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** Through the response URL; false when it could not be delivered (logged there). */
  respond(message: Record<string, unknown>): Promise<boolean>;
}

export type RecheckDeps = Pick<BotDeps, 'ports' | 'now' | 'log'>;

/** Replaces the nudge itself; through the response URL when chat.update cannot. Returns what it updated in place. */
async function replaceNudge(
  task: DeferredRecheck,
  message: SlackMessage,
  deps: RecheckDeps,
  replies: RecheckReplies,
): Promise<{ channel: string; ts: string } | undefined> {
  if (task.nudge) {
    try {
      await replies.updateNudge(task.nudge.channel, task.nudge.ts, message);
      return task.nudge;
    } catch (err) {
      deps.log.warn(
        `${WHAT}: chat.update of the nudge failed (${describeError(err)}); replacing it through the response URL`,
      );
    }
  }
  await replies.respond({ replace_original: true, ...message });
  return undefined;
}

/** A live check now: a thank-you in place of the nudge, or what is still missing. Never throws. */
export async function recheckNudge(task: DeferredRecheck, deps: RecheckDeps, replies: RecheckReplies): Promise<void> {
  const { ref, presserId, ownerId } = task;
  const done = (result: string) =>
    audit(deps.log, {
      user: presserId,
      action: `${WHAT} (live check)`,
      target: `${ref.userName} in ${ref.accountId}`,
      result,
    });
  try {
    const now = deps.now();
    const latest = await deps.ports.latestScan();
    const row = liveRow(await deps.ports.recheck(ref), latest?.scan);
    const state = rowState(row);
    if (state === 'pass' || state === 'pass-not-hardware') {
      const replaced = await replaceNudge(
        task,
        buildThankYou({ account: row.account, userName: row.userName, slackUserId: ownerId ?? presserId, now }),
        deps,
        replies,
      );
      await deps.ports.markResolved(ref, now, replaced);
      done(`live: MFA on (${state}); case resolved, nudge replaced by a thank-you`);
    } else if (state === 'no-console' || state === 'missing') {
      const replaced = await replaceNudge(
        task,
        buildConsoleLoginGone(row.account, row.userName, now, state),
        deps,
        replies,
      );
      await deps.ports.markResolved(ref, now, replaced, state === 'missing' ? 'gone' : 'no-console');
      done(`live: ${state}; case resolved`);
    } else {
      await replies.respond({ response_type: 'ephemeral', replace_original: false, ...buildStillMissing(row, now) });
      done(`live: ${state}`);
    }
  } catch (err) {
    deps.log.error(`${WHAT} failed for ${presserId}: ${describeError(err)}`);
    done('error (see the log line before)');
    await replies.respond({ response_type: 'ephemeral', replace_original: false, ...buildInternalError() });
  }
}
