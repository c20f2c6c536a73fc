import type { DeferredTask } from '../../src/bot/deferred-tasks.js';
import { runWorker } from '../../src/lambda/worker.js';
import { readFileSync } from 'node:fs';
import { CreatePolicyCommand, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { expect } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { encodeButtonValue } from '../../src/slack/blocks/ids.js';
import { blockActions } from '../bot/harness/payloads.js';
import { MOTO_ACCOUNT, type UserSpec } from '../support/aws.js';
import type { MotoServer } from '../support/moto/index.js';
import { httpApiEvent } from './events.js';
import {
  ANN,
  LAMBDA_USERS,
  MONDAY_10,
  motoStateStore,
  SECURITY_CHANNEL,
  SIGNING_SECRET,
  startLambdaWorld,
  type LambdaWorld,
} from './world.js';

export const DAY = 86_400_000;
export const POLICY_ARN = `arn:aws:iam::${MOTO_ACCOUNT}:policy/MfaBotRequireMfa`;
export const LIMITED = /now limited to setting up MFA/;
/** What mfa-bot ships, and what the README's `aws iam create-policy` deploys in an account. */
export const SHIPPED_POLICY = readFileSync('policy/require-mfa.json', 'utf8');

/** The Lambda functions over a fresh DynamoDB state table, with enforcement as given and the shipped policy. */
export async function enforcementWorld(
  moto: MotoServer,
  enforcement: ConfigInput['enforcement'],
  options: { users?: UserSpec[]; config?: Partial<ConfigInput> } = {},
): Promise<LambdaWorld> {
  const world = await startLambdaWorld(moto, {
    store: await motoStateStore(moto, `mfa-bot-state-${Math.random().toString(36).slice(2)}`),
    users: options.users ?? LAMBDA_USERS,
    config: { ...options.config, enforcement },
  });
  await world.runtime.aws.iam.send(
    new CreatePolicyCommand({ PolicyName: 'MfaBotRequireMfa', PolicyDocument: SHIPPED_POLICY }),
  );
  return world;
}

/** The world's clock (and moto's, for credential reports and key use) `days` after Monday 10:00. */
export async function setDay(moto: MotoServer, w: LambdaWorld, days: number): Promise<void> {
  w.clock.now = new Date(MONDAY_10.getTime() + days * DAY);
  await moto.setClock(w.clock.now);
}

export async function attached(w: LambdaWorld, userName = 'ann.smith'): Promise<string[]> {
  const out = await w.runtime.aws.iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
}

/**
 * An enforcement button pressed in Slack, through API Gateway to the slack function; its answer goes to responseId.
 * What the slack function handed to the worker is then run there, as the asynchronous Invoke would (serialised as
 * its payload is); returns those tasks.
 */
export async function pressButton(
  w: LambdaWorld,
  press: {
    actionId: string;
    userId: string;
    responseId: string;
    ts?: string;
    ref?: { accountId: string; userName: string };
  },
): Promise<DeferredTask[]> {
  const handedOn = w.invoked.length;
  const payload = blockActions({
    userId: press.userId,
    actionId: press.actionId,
    value: encodeButtonValue(press.ref ?? { accountId: MOTO_ACCOUNT, userName: 'ann.smith' }),
    responseUrl: w.responses.url(press.responseId),
    channelId: SECURITY_CHANNEL,
    messageTs: press.ts ?? '1.000001',
    blockId: 'mfa_enforcement_actions',
  });
  const handler = await w.slackHandler();
  const res = await handler(httpApiEvent({ form: { payload: JSON.stringify(payload) } }, SIGNING_SECRET), {});
  expect(res.statusCode).toBe(200);
  const tasks = w.invoked.slice(handedOn);
  for (const task of tasks) await runWorker(JSON.parse(JSON.stringify(task)), w.runtime);
  return tasks;
}

export const dmsTo = (w: LambdaWorld, pattern: RegExp, user = ANN) =>
  w.slack.dmsTo(user).filter((m) => pattern.test(m.text ?? ''));
export const requests = (w: LambdaWorld) =>
  w.slack.messages({ channel: SECURITY_CHANNEL }).filter((m) => /Enforcement request/.test(m.text ?? ''));
export const edits = (w: LambdaWorld, ts: string) => w.slack.calls('chat.update').filter((c) => c.params.ts === ts);
export const messageAt = (w: LambdaWorld, ts: string) =>
  w.slack.messages({ channel: SECURITY_CHANNEL }).find((m) => m.ts === ts)!;
