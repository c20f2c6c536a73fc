import type { WebClientOptions } from '@slack/web-api';
import { SlackConfigError, slackSettingsFromEnv } from '../slack/client.js';
import { createBotApp, type LambdaHandler } from '../bot/create-app.js';
import { lambdaDeferrer, lambdaInvoker, type WorkerInvoker } from './lambda-deferrer.js';
import { lambdaRootAccess } from './root-deletion.js';
import { containerRuntime, type LambdaRuntime } from './runtime.js';

export interface SlackLambdaOptions {
  runtime: LambdaRuntime;
  /** How slow answers reach the worker; an asynchronous Invoke of WORKER_FUNCTION_NAME by default. */
  invoke?: WorkerInvoker;
  clientOptions?: Partial<WebClientOptions>;
}

/** The Bolt app on Bolt's AwsLambdaReceiver, with the same listeners as `serve`; the Slack signature is checked. */
export async function createSlackLambda(options: SlackLambdaOptions): Promise<LambdaHandler> {
  const { runtime } = options;
  const signingSecret = runtime.env.SLACK_SIGNING_SECRET?.trim();
  if (!signingSecret)
    throw new SlackConfigError(
      'SLACK_SIGNING_SECRET is not set: set SLACK_SIGNING_SECRET_PARAM ' +
        '(SSM) or SLACK_SIGNING_SECRET_SECRET_ARN (Secrets Manager)',
    );
  const worker = runtime.env.WORKER_FUNCTION_NAME?.trim();
  const invoke = options.invoke ?? (worker ? lambdaInvoker(worker) : undefined);
  if (!invoke) throw new Error('WORKER_FUNCTION_NAME is not set: the slack function hands live checks to the worker');
  const slack = slackSettingsFromEnv(runtime.env)!;
  const bot = await createBotApp({
    settings: { botToken: slack.token, apiUrl: slack.apiUrl, transport: { kind: 'lambda', signingSecret } },
    deps: {
      ports: runtime.ports,
      config: runtime.config,
      now: runtime.now,
      log: runtime.log,
      deferrer: lambdaDeferrer(invoke),
      // The worker deletes; here, only the root access for `/mfa-check root` is read.
      ...lambdaRootAccess(runtime),
    },
    ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}),
  });
  return bot.lambdaHandler!;
}

let app: Promise<LambdaHandler> | undefined;

export const handler: LambdaHandler = async (event, context) => {
  app ??= containerRuntime()
    .then((runtime) => createSlackLambda({ runtime }))
    .catch((err: unknown) => {
      app = undefined;
      throw err;
    });
  return (await app)(event, context);
};
