import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { DeferredTask } from '../../src/bot/deferred-tasks.js';
import { lineLogger } from '../../src/bot/logger.js';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from '../../src/store/dynamodb/dynamodb-store.js';
import { createStateTableInput } from '../../src/store/dynamodb/table.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import type { StateStore } from '../../src/store/store.js';
import { createRuntime, type LambdaRuntime, type RuntimeOverrides } from '../../src/lambda/runtime.js';
import { createSlackLambda } from '../../src/lambda/slack.js';
import type { LambdaHandler } from '../../src/bot/create-app.js';
import { createUsers, motoClients, type UserSpec, motoClientConfig } from '../support/aws.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import type { MotoServer } from '../support/moto/index.js';
import { ResponseCatcher } from '../bot/harness/response-catcher.js';
import { ADMIN, ANN, BOB, SECURITY_CHANNEL, SIGNING_SECRET } from '../bot/harness/bot.js';

export { ADMIN, ANN, BOB, SECURITY_CHANNEL, SIGNING_SECRET };

/** A Monday, 10:00 UTC: inside everyone's working hours. */
export const MONDAY_10 = new Date('2026-11-23T10:00:00Z');

export const LAMBDA_USERS: UserSpec[] = [
  { name: 'ann.smith', password: true, tags: { email: 'ann@example.com' } },
  { name: 'bob', password: true, mfa: 'virtual', tags: { slack: BOB } },
];

export const LAMBDA_CONFIG: ConfigInput = {
  checks: { gracePeriodDays: 0 },
  nudges: { enabled: true },
  slack: { digestChannel: SECURITY_CHANNEL, admins: [ADMIN] },
  // No chart by default here: drawing one takes seconds; test/lambda/chart.test.ts turns it on.
  digest: { chart: 'off' },
};

/** The state table as serverless.yml creates it, on moto, and the store the functions open on it. */
export async function motoStateStore(moto: MotoServer, table: string): Promise<DynamoStateStore> {
  const client = new DynamoDBClient(motoClientConfig(moto));
  await client.send(new CreateTableCommand(createStateTableInput(table)));
  return new DynamoStateStore({ table, client });
}

export interface LambdaWorld {
  runtime: LambdaRuntime;
  /** What runtime.now() answers; tests move it. */
  clock: { now: Date };
  slack: FakeSlack;
  responses: ResponseCatcher;
  /**
   * What the slack function handed to the worker: the asynchronous Invoke, captured (moto's Lambda cannot run Node
   * here).
   */
  invoked: DeferredTask[];
  slackHandler(): Promise<LambdaHandler>;
  logs: string[];
  stop(): Promise<void>;
}

/**
 * The Lambda functions' shared runtime over moto (IAM), the fake Slack and a state store (in-memory SQLite unless
 * given).
 */
export async function startLambdaWorld(
  moto: MotoServer,
  options: {
    users?: UserSpec[];
    store?: StateStore;
    config?: Partial<ConfigInput>;
    chartRendererProbe?: RuntimeOverrides['chartRendererProbe'];
  } = {},
): Promise<LambdaWorld> {
  const { users = LAMBDA_USERS } = options;
  const slack = await startFakeSlack({ rateLimits: false });
  const responses = new ResponseCatcher();
  await responses.start();
  slack.addChannel({ id: SECURITY_CHANNEL, name: 'security' });
  for (const [id, name] of [
    [ADMIN, 'admin'],
    [ANN, 'ann'],
    [BOB, 'bob'],
  ] as const)
    slack.addUser({ id, name, email: `${name}@example.com`, tz: 'UTC' });
  const aws = motoClients(moto);
  await createUsers(aws.iam, users);
  // Credential reports are stamped with the world's time, as AWS's would be, so their age is what the bot thinks it is.
  await moto.setClock(MONDAY_10);
  const logs: string[] = [];
  const clock = { now: MONDAY_10 };
  const runtime = await createRuntime({
    env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url, SLACK_SIGNING_SECRET: SIGNING_SECRET },
    config: parseConfig({ ...LAMBDA_CONFIG, ...options.config }),
    aws,
    awsOptions: { endpoint: moto.endpoint, region: 'us-east-1', maxAttempts: 1 },
    store: options.store ?? SqliteStateStore.inMemory(),
    now: () => clock.now,
    log: lineLogger((line) => logs.push(line), 'debug'),
    ...(options.chartRendererProbe ? { chartRendererProbe: options.chartRendererProbe } : {}),
  });
  const invoked: DeferredTask[] = [];
  let handler: Promise<LambdaHandler> | undefined;
  return {
    runtime,
    clock,
    slack,
    responses,
    invoked,
    logs,
    slackHandler: () =>
      (handler ??= createSlackLambda({
        runtime,
        invoke: async (task) => void invoked.push(task),
        clientOptions: { retryConfig: { retries: 0 } },
      })),
    async stop() {
      await runtime.store.close();
      await Promise.all([slack.stop(), responses.stop()]);
    },
  };
}
