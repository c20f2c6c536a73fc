// A member account's IAM change travels the way it would on AWS: the audit stack's rule in the member
// forwards the CloudTrail event to the bot account's default bus, whose realtime rule (here with an SQS
// target standing in for the Lambda function, which moto cannot run) hands it to the realtime handler.
import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateLoginProfileCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { CreateAccountCommand, CreateOrganizationCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients.js';
import { createOrganizationsClient } from '../../src/aws/organization.js';
import { runRealtime, type CloudTrailEvent } from '../../src/lambda/realtime.js';
import { runScheduled } from '../../src/lambda/scheduled.js';
import { createUsers, MOTO_ACCOUNT, motoClients, useMotoEnv } from '../support/aws.js';
import { deployAuditStack as deployStack } from '../support/org.js';
import { useMoto } from '../support/use-moto.js';
import { scheduledEvent } from './events.js';
import { BOB, SECURITY_CHANNEL, startLambdaWorld, type LambdaWorld } from './world.js';

const moto = useMoto();
let world: LambdaWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const BOT_BUS = `arn:aws:events:us-east-1:${MOTO_ACCOUNT}:event-bus/default`;
type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const common = () => ({ endpoint: moto.endpoint, region: 'us-east-1', maxAttempts: 1 });
const BOT: Credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

async function memberAccount(): Promise<{ accountId: string; credentials: Credentials }> {
  const org = createOrganizationsClient({ ...common(), credentials: BOT });
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  await org.send(new CreateAccountCommand({ AccountName: 'dev', Email: 'dev@example.com' }));
  const accountId = (await org.send(new ListAccountsCommand({}))).Accounts!.find((a) => a.Id !== MOTO_ACCOUNT)!.Id!;
  // An administrator of the member account, who deploys the stack set instance.
  const { Credentials: c } = await motoClients(moto).sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'admin',
    }),
  );
  return {
    accountId,
    credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! },
  };
}

const deployAuditStack = (credentials: Credentials, forwardTo: string) =>
  deployStack(moto, credentials, { ForwardIamEventsTo: forwardTo });

/** The realtime rule of serverless.yml on the bot's default bus, delivering to a queue the test reads. */
async function botRealtimeRule(): Promise<{ sqs: SQSClient; queueUrl: string }> {
  const sls = parse(readFileSync('serverless.yml', 'utf8')) as {
    functions: { realtime: { events: Array<{ eventBridge: { pattern: unknown } }> } };
  };
  const events = new EventBridgeClient({ ...common(), credentials: BOT });
  const sqs = new SQSClient({ ...common(), credentials: BOT });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'realtime-function' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await events.send(
    new PutRuleCommand({
      Name: 'realtime',
      EventPattern: JSON.stringify(sls.functions.realtime.events[0]!.eventBridge.pattern),
    }),
  );
  await events.send(
    new PutTargetsCommand({ Rule: 'realtime', Targets: [{ Id: 'realtime', Arn: Attributes!.QueueArn! }] }),
  );
  return { sqs, queueUrl: QueueUrl! };
}

function cloudTrailEntry(accountId: string, eventName: string, userName: string) {
  return {
    Source: 'aws.iam',
    DetailType: 'AWS API Call via CloudTrail',
    Detail: JSON.stringify({
      eventSource: 'iam.amazonaws.com',
      eventName,
      recipientAccountId: accountId,
      requestParameters: { userName },
      userIdentity: { arn: `arn:aws:sts::${accountId}:assumed-role/Admin/carol` },
    }),
  };
}

describe('member accounts: CloudTrail IAM events forwarded to the bot account', () => {
  it(
    "the audit stack forwards a member's CreateLoginProfile, " +
      'and the realtime handler nudges through the audit role',
    async () => {
      const member = await memberAccount();
      expect(await deployAuditStack(member.credentials, BOT_BUS)).toBe('CREATE_COMPLETE');
      const { sqs, queueUrl } = await botRealtimeRule();
      world = await startLambdaWorld(moto, { config: { organization: { roleName: 'MfaBotAudit' } } });
      const memberIam = createAwsClients({ ...common(), credentials: member.credentials }).iam;
      await createUsers(memberIam, [{ name: 'dev.ops' }]);

      // The morning's scan covered the member: its Organizations name is kept with the scan. (The
      // Organizations client comes from the environment, as on Lambda.)
      useMotoEnv(moto);
      await runScheduled(scheduledEvent('scan'), world.runtime);
      const memberEvents = new EventBridgeClient({ ...common(), credentials: member.credentials });
      // Not a login or MFA change: the member's rule does not forward it.
      await memberEvents.send(
        new PutEventsCommand({ Entries: [cloudTrailEntry(member.accountId, 'CreateAccessKey', 'dev.ops')] }),
      );
      await memberIam.send(new CreateLoginProfileCommand({ UserName: 'dev.ops', Password: 'Correct-Horse-9!' }));
      await memberIam.send(new TagUserCommand({ UserName: 'dev.ops', Tags: [{ Key: 'slack', Value: BOB }] }));
      await memberEvents.send(
        new PutEventsCommand({ Entries: [cloudTrailEntry(member.accountId, 'CreateLoginProfile', 'dev.ops')] }),
      );

      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      expect(Messages).toHaveLength(1);
      const event = JSON.parse(Messages[0]!.Body!) as CloudTrailEvent;
      expect(event.detail?.eventName).toBe('CreateLoginProfile');

      expect(await runRealtime(event, world.runtime)).toEqual({ result: 'opened', nudge: 'sent', alert: 'posted' });
      expect(world.slack.dmsTo(BOB).at(-1)!.text).toContain(`dev.ops in account ${member.accountId} (dev)`);
      expect(world.slack.messages({ channel: SECURITY_CHANNEL }).at(-1)!.text).toContain(
        `dev.ops in account ${member.accountId} (dev) has a console password and no MFA`,
      );
      expect((await moto.calls()).sts!.AssumeRole).toBeGreaterThanOrEqual(2);
    },
  );

  it('ignores an event from an account that organization.excludeAccounts leaves out, without entering it', async () => {
    const member = await memberAccount();
    world = await startLambdaWorld(moto, {
      config: { organization: { roleName: 'MfaBotAudit', excludeAccounts: [member.accountId] } },
    });
    const event = {
      detail: JSON.parse(cloudTrailEntry(member.accountId, 'CreateLoginProfile', 'dev.ops').Detail),
    } as CloudTrailEvent;
    await moto.resetCalls();
    expect(await runRealtime(event, world.runtime)).toEqual({ result: 'ignored' });
    expect((await moto.calls()).sts?.AssumeRole ?? 0).toBe(0);
    expect(world.logs.join('\n')).toContain('outside organization.accounts / excludeAccounts');
  });

  it('without ForwardIamEventsTo the stack is the audit role alone, and nothing is forwarded', async () => {
    const member = await memberAccount();
    expect(await deployAuditStack(member.credentials, '')).toBe('CREATE_COMPLETE');
    const { sqs, queueUrl } = await botRealtimeRule();
    const memberEvents = new EventBridgeClient({ ...common(), credentials: member.credentials });
    await memberEvents.send(
      new PutEventsCommand({ Entries: [cloudTrailEntry(member.accountId, 'CreateLoginProfile', 'dev.ops')] }),
    );
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages).toEqual([]);
  });
});
