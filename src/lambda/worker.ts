import { adminsFromConfig } from '../bot/admins.js';
import type { DeferredTask } from '../bot/deferred-tasks.js';
import { runDeferredTask } from '../bot/deferrer.js';
import { lambdaRootAccess } from './root-deletion.js';
import { containerRuntime, type LambdaRuntime } from './runtime.js';

/**
 * Does one deferred task (invoked asynchronously by the slack function); replies through the response URL or
 * chat.update.
 */
export async function runWorker(task: DeferredTask, runtime: LambdaRuntime): Promise<void> {
  const { config, slack, log } = runtime;
  const admins = adminsFromConfig(config, slack, log);
  await runDeferredTask(task, {
    ports: runtime.ports,
    admins,
    now: runtime.now,
    config,
    log,
    slack,
    updateMessage: async (channel, ts, message) =>
      void (await slack.update({ channel, ts, text: message.text, blocks: message.blocks })),
    postMessage: async (channel, message) =>
      void (await slack.postMessage({ channel, text: message.text, blocks: message.blocks })),
    ...lambdaRootAccess(runtime),
  });
}

export async function handler(task: DeferredTask): Promise<void> {
  await runWorker(task, await containerRuntime());
}
