import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Deferrer, DeferredTask } from '../bot/deferred-tasks.js';

/** Starts the worker with a task; resolves once Lambda has queued it (it runs after this response). */
export type WorkerInvoker = (task: DeferredTask) => Promise<void>;

/** An asynchronous Invoke (InvocationType Event) of the worker function: 202 means queued. */
export function lambdaInvoker(functionName: string, client: LambdaClient = new LambdaClient({})): WorkerInvoker {
  return async (task) => {
    const out = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(task)),
      }),
    );
    if (out.StatusCode !== 202) throw new Error(`the worker ${functionName} was not queued (status ${out.StatusCode})`);
  };
}

/** On Lambda nothing runs after the HTTP response, so slow answers go to the worker function. */
export function lambdaDeferrer(invoke: WorkerInvoker): Deferrer {
  return { defer: (task) => invoke(task) };
}
