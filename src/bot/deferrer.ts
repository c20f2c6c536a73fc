import type { WebClient } from '@slack/web-api';
import { SlackApi } from '../slack/api.js';
import type { SlackMessage } from '../slack/blocks/format.js';
import { answerCheckOrApologise } from './mfa-check/answer.js';
import type { BotDeps } from './deps.js';
import type { DeferredCheck, DeferredTask, Deferrer } from './deferred-tasks.js';
import { recheckNudge } from './recheck-nudge.js';
import { DECISION_BUTTONS, isEnforcementTask, runEnforcementDecision } from './enforcement-task.js';
import { isRootDeletionTask, runRootDeletion } from './root-deletion-task.js';
import { describeError } from './respond.js';

export type DeferredDeps = Pick<BotDeps, 'ports' | 'admins' | 'now' | 'log' | 'rootCredentials'> &
  Partial<Pick<BotDeps, 'config' | 'rootAccess'>> & {
    /** The bot token's Web API: an enforcement decision edits its request and DMs the person. */
    slack: SlackApi;
    /** chat.update with the bot token: how a nudge is replaced in place. */
    updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void>;
    /** chat.postMessage with the bot token: where a root deletion's outcome goes. */
    postMessage(channel: string, message: SlackMessage): Promise<void>;
  };

/** Posts to a Slack response URL; never throws (an expired URL is logged, the URL itself never is). */
export async function postToResponseUrl(
  url: string,
  message: Record<string, unknown>,
  log: BotDeps['log'],
  what: string,
): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(15_000),
    });
    if (res.ok) return true;
    log.warn(`${what}: the response URL answered HTTP ${res.status}`);
  } catch (err) {
    log.warn(`${what}: the answer could not be delivered through the response URL (${describeError(err)})`);
  }
  return false;
}

function isWebUrl(url: string | undefined): url is string {
  try {
    return url !== undefined && /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}

async function answerDeferredCheck(task: DeferredCheck, deps: DeferredDeps): Promise<void> {
  const what = task.replaceOriginal ? 'the "Check again" button' : '/mfa-check';
  const message = await answerCheckOrApologise(task.text, task.askerId, deps, what);
  await postToResponseUrl(
    task.responseUrl,
    { response_type: 'ephemeral', replace_original: task.replaceOriginal, ...message },
    deps.log,
    what,
  );
}

/** Does a deferred task: the same code a listener would have run, replying through the response URL or chat.update. */
export async function runDeferredTask(task: DeferredTask, deps: DeferredDeps): Promise<void> {
  switch (task?.kind) {
    case 'check':
      if (isWebUrl(task.responseUrl)) return answerDeferredCheck(task, deps);
      break;
    case 'recheck': {
      const responseUrl = task.responseUrl;
      return recheckNudge(task, deps, {
        updateNudge: (channel, ts, message) => deps.updateMessage(channel, ts, message),
        respond: async (message) => {
          if (isWebUrl(responseUrl))
            return postToResponseUrl(responseUrl, message, deps.log, 'the "check again" button');
          deps.log.warn('the "check again" button: no response URL to answer through');
          return false;
        },
      });
    }
    case 'root-delete':
      if (isRootDeletionTask(task)) return runRootDeletion(task, deps);
      break;
    case 'enforcement': {
      if (!isEnforcementTask(task)) break;
      const { responseUrl } = task;
      const what = DECISION_BUTTONS[task.decision];
      return runEnforcementDecision(task, deps, async (message) => {
        if (isWebUrl(responseUrl))
          return postToResponseUrl(
            responseUrl,
            { response_type: 'ephemeral', replace_original: false, ...message },
            deps.log,
            what,
          );
        deps.log.warn(`${what}: no response URL to answer through`);
        return false;
      });
    }
  }
  deps.log.warn('ignored a deferred task that is not one of ours');
}

/** `serve`: a long-lived process keeps working after the acknowledgement, so the task runs right here. */
export function inProcessDeferrer(deps: DeferredDeps): Deferrer {
  return { defer: (task) => runDeferredTask(task, deps) };
}

/** The deferrer a listener hands work to: the configured one, or this process with the request's Web API client. */
export function deferrerFor(deps: BotDeps, client: WebClient): Deferrer {
  const slack = new SlackApi(client);
  return (
    deps.deferrer ??
    inProcessDeferrer({
      ...deps,
      slack,
      updateMessage: async (channel, ts, message) => {
        await slack.update({ channel, ts, text: message.text, blocks: message.blocks });
      },
      postMessage: async (channel, message) => {
        await slack.postMessage({ channel, text: message.text, blocks: message.blocks });
      },
    })
  );
}
