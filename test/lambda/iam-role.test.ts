import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { InitializeMiddleware, MetadataBearer } from '@smithy/types';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { publishFindingChanges } from '../../src/aws/findings-events.js';
import { checkUserLive } from '../../src/aws/user-check.js';
import { parseConfig } from '../../src/config/load.js';
import { lambdaInvoker } from '../../src/lambda/lambda-deferrer.js';
import { awsSecretReaders } from '../../src/lambda/secrets.js';
import { createUsers, motoClients } from '../support/aws.js';
import { useMoto } from '../support/use-moto.js';

const moto = useMoto();

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: unknown;
}
interface ServerlessYml {
  custom: { secretStore: string; secrets: Record<string, { statement: Statement }> };
  provider: { iam: { role: { statements: Array<Statement | string> } } };
}

const yml = parse(readFileSync('serverless.yml', 'utf8')) as ServerlessYml;

/** The role's statements, with the secret store's statement for each store it can be deployed with. */
function roleStatements(): Statement[] {
  return yml.provider.iam.role.statements.flatMap((s) =>
    typeof s === 'string' ? Object.values(yml.custom.secrets).map((store) => store.statement) : [s],
  );
}

function policyFileActions(path: string): string[] {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { Statement: Array<{ Action: string[] }> };
  return doc.Statement.flatMap((s) => s.Action);
}

type Sendable = {
  middlewareStack: {
    add: (m: InitializeMiddleware<object, MetadataBearer>, o: { step: 'initialize'; name: string }) => void;
  };
};

/** Records `service:Action` for every command sent; `answer` short-circuits the call (no endpoint needed). */
function record<T extends Sendable>(
  client: T,
  service: string,
  sent: Set<string>,
  answer?: (command: string) => object,
): T {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName).replace(/Command$/, '');
      sent.add(`${service}:${command}`);
      return answer ? { output: answer(command) as MetadataBearer, response: {} } : next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return client;
}

/**
 * DynamoDB item actions the state store sends (read from its source, since other engineers extend it): each
 * `new XCommand(`, and for TransactWriteItems the item action of each kind of transaction item it builds.
 */
function dynamodbActions(): Set<string> {
  const dir = 'src/store/dynamodb';
  const source = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const actions = new Set([...source.matchAll(/new (\w+)Command\(/g)].map((m) => `dynamodb:${m[1]}`));
  if (actions.delete('dynamodb:TransactWriteItems')) {
    const kinds = {
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      ConditionCheck: 'ConditionCheckItem',
    } as const;
    for (const [kind, action] of Object.entries(kinds))
      if (new RegExp(`\\b${kind}: \\{`).test(source)) actions.add(`dynamodb:${action}`);
  }
  return actions;
}

describe('the Lambda role in serverless.yml', () => {
  it('has no wildcard action', () => {
    for (const s of roleStatements()) {
      expect(s.Effect).toBe('Allow');
      for (const a of s.Action) expect(a, 'least privilege: no wildcard actions').not.toContain('*');
    }
  });

  it('allows only actions the code uses', async () => {
    const used = new Set<string>([
      // test/policy.test.ts holds these to exactly what a scan and an organization scan send.
      ...policyFileActions('policy/mfa-bot-readonly.json'),
      ...policyFileActions('policy/mfa-bot-org.json'),
      // Held by test/policy.test.ts to exactly what the Security Hub export sends.
      ...policyFileActions('policy/mfa-bot-securityhub.json'),
      ...dynamodbActions(),
    ]);
    // The live check of one user (/mfa-check --fresh, the buttons, the realtime function), against the emulator.
    const aws = motoClients(moto);
    record(aws.iam, 'iam', used);
    await createUsers(motoClients(moto).iam, [{ name: 'ann', password: true, mfa: 'virtual' }]);
    const result = await checkUserLive(
      aws.iam,
      { accountId: '123456789012', userName: 'ann' },
      { settings: parseConfig({}).checks, exemptions: [], now: () => new Date() },
    );
    expect(result.kind).toBe('checked');
    // Finding changes to the bus; the worker hand-off; the Slack secrets. Short-circuited: only the action matters.
    const events = record(new EventBridgeClient({ region: 'us-east-1' }), 'events', used, () => ({
      FailedEntryCount: 0,
      Entries: [{ EventId: '1' }],
    }));
    const verdict = {
      check: 'user-console-mfa',
      accountId: '123456789012',
      principal: 'ann',
      arn: 'arn:aws:iam::123456789012:user/ann',
      status: 'fail',
      severity: 'high',
      reason: 'no MFA',
      controls: [],
      remediation: 'enable MFA',
    } as const;
    await publishFindingChanges(
      events,
      'bus',
      [{ change: 'newly_failing', verdict: { ...verdict, controls: [...verdict.controls] }, previousStatus: 'pass' }],
      new Date(),
    );
    await lambdaInvoker(
      'mfa-bot-dev-worker',
      record(new LambdaClient({ region: 'us-east-1' }), 'lambda', used, () => ({ StatusCode: 202 })),
    )({
      kind: 'check',
      text: 'me --fresh',
      askerId: 'U1',
      responseUrl: 'https://hooks.slack.com/x',
      replaceOriginal: false,
    });
    const readers = awsSecretReaders({
      ssm: record(new SSMClient({ region: 'us-east-1' }), 'ssm', used, () => ({ Parameter: { Value: 'v' } })),
      secretsManager: record(new SecretsManagerClient({ region: 'us-east-1' }), 'secretsmanager', used, () => ({
        SecretString: 'v',
      })),
    });
    await readers.parameter('/mfa-bot/slack-bot-token');
    await readers.secret('mfa-bot/slack-bot-token');
    // The action IAM knows Lambda's Invoke by.
    if (used.delete('lambda:Invoke')) used.add('lambda:InvokeFunction');

    const allowed = roleStatements().flatMap((s) => s.Action);
    expect(allowed.filter((a) => !used.has(a))).toEqual([]);
    expect(new Set(allowed).size).toBe(allowed.length);
    // And the other way round: nothing the code sends is missing from the role.
    expect([...used].filter((a) => !allowed.includes(a))).toEqual([]);
  });

  it('scopes each non-read action to its own resource', () => {
    const bySid = new Map(roleStatements().map((s) => [s.Sid ?? s.Action.join(), s]));
    expect(JSON.stringify(bySid.get('HandSlowAnswersToTheWorker')!.Resource)).toContain(
      ':function:${self:custom.workerName}',
    );
    expect(JSON.stringify(bySid.get('PublishFindingChanges')!.Resource)).toContain(
      ':event-bus/${self:custom.findingsBusName}',
    );
    expect(bySid.get('StateTableItems')!.Resource).toEqual([{ 'Fn::GetAtt': ['StateTable', 'Arn'] }]);
    expect(JSON.stringify(bySid.get('ssm:GetParameter')!.Resource)).toContain(':parameter/${self:custom.botTokenName}');
    expect(JSON.stringify(bySid.get('secretsmanager:GetSecretValue')!.Resource)).toContain(
      ':secret:${self:custom.botTokenName}-??????',
    );
  });
});
