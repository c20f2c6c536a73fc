import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  type IAMClient,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { createAwsClients, type AwsClients } from '../../src/aws/clients.js';
import type { MotoServer } from './moto/index.js';

export const MOTO_ACCOUNT = '123456789012';

/** An SDK client's settings for the emulator; one attempt unless a test wants the retry behaviour. */
export function motoClientConfig(
  moto: Pick<MotoServer, 'endpoint'>,
  opts: { maxAttempts?: number; region?: string } = {},
) {
  return {
    endpoint: moto.endpoint,
    region: opts.region ?? 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: opts.maxAttempts ?? 1,
  };
}

/** Real SDK clients pointed at the emulator. */
export function motoClients(moto: MotoServer, opts: { maxAttempts?: number; region?: string } = {}): AwsClients {
  return createAwsClients(motoClientConfig(moto, opts));
}

/** Points the SDK's default chain (as the CLI uses it) at the emulator, for in-process CLI runs. */
export function useMotoEnv(moto: MotoServer): void {
  Object.assign(process.env, moto.env);
  delete process.env.AWS_PROFILE;
}

export interface UserSpec {
  name: string;
  password?: boolean;
  mfa?: 'virtual' | 'hardware';
  tags?: Record<string, string>;
  path?: string;
}

export async function createUsers(iam: IAMClient, users: UserSpec[]): Promise<void> {
  for (const u of users) {
    await iam.send(
      new CreateUserCommand({
        UserName: u.name,
        Path: u.path,
        Tags: u.tags ? Object.entries(u.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
      }),
    );
    if (u.password) await iam.send(new CreateLoginProfileCommand({ UserName: u.name, Password: 'Correct-Horse-9!' }));
    if (u.mfa === 'virtual') {
      const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: u.name }));
      await iam.send(
        new EnableMFADeviceCommand({
          UserName: u.name,
          SerialNumber: VirtualMFADevice!.SerialNumber!,
          AuthenticationCode1: '123456',
          AuthenticationCode2: '654321',
        }),
      );
    } else if (u.mfa === 'hardware') {
      await iam.send(
        new EnableMFADeviceCommand({
          UserName: u.name,
          SerialNumber: `GAHT${u.name.length.toString().padStart(8, '0')}`,
          AuthenticationCode1: '123456',
          AuthenticationCode2: '654321',
        }),
      );
    }
  }
}

export async function tagUser(iam: IAMClient, name: string, tags: Record<string, string>): Promise<void> {
  await iam.send(
    new TagUserCommand({ UserName: name, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
  );
}

/** The document of a managed policy's default version, parsed (IAM returns it URL-encoded). */
export async function managedPolicyDocument(iam: IAMClient, policyArn: string): Promise<unknown> {
  const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
  const { PolicyVersion } = await iam.send(
    new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn!, VersionId: Policy!.DefaultVersionId! }),
  );
  return JSON.parse(decodeURIComponent(PolicyVersion!.Document!));
}

/** Creates a stack on the emulator's CloudFormation with the default credentials; returns its status. */
export async function createStack(
  moto: MotoServer,
  name: string,
  templateBody: string,
  parameters: Record<string, string> = {},
): Promise<string | undefined> {
  const cfn = new CloudFormationClient(motoClientConfig(moto));
  await cfn.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: templateBody,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
    }),
  );
  return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;
}

/** Turns on a virtual MFA device for an existing user (the person finally enrolled); returns its serial number. */
export async function enableVirtualMfa(
  iam: IAMClient,
  userName: string,
  deviceName = `${userName}-${Date.now()}`,
): Promise<string> {
  const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
  const serialNumber = VirtualMFADevice!.SerialNumber!;
  await iam.send(
    new EnableMFADeviceCommand({
      UserName: userName,
      SerialNumber: serialNumber,
      AuthenticationCode1: '123456',
      AuthenticationCode2: '654321',
    }),
  );
  return serialNumber;
}

/** Creates the require-MFA policy as a customer-managed policy, as the templates deploy it (its content aside). */
export async function createRequireMfaPolicy(iam: IAMClient, policyName = 'MfaBotRequireMfa'): Promise<void> {
  await iam.send(
    new CreatePolicyCommand({
      PolicyName: policyName,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', NotAction: 'iam:*', Resource: '*' }],
      }),
    }),
  );
}

/** An EventBridge client on the emulator with the bus `name` created, and the call counts reset after. */
export async function motoEventBus(moto: MotoServer, name: string): Promise<EventBridgeClient> {
  const events = new EventBridgeClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await events.send(new CreateEventBusCommand({ Name: name }));
  await moto.resetCalls();
  return events;
}
