import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** The Slack secrets a Lambda function needs, by environment name. */
export const SECRET_NAMES = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export interface SecretReaders {
  parameter(name: string): Promise<string | undefined>;
  secret(id: string): Promise<string | undefined>;
}

export interface SecretClients {
  ssm: SSMClient;
  secretsManager: SecretsManagerClient;
}

/** The SDK's default chain; tests pass clients pointed at the emulator. */
export function awsSecretReaders(
  clients: SecretClients = { ssm: new SSMClient({}), secretsManager: new SecretsManagerClient({}) },
): SecretReaders {
  return {
    async parameter(name) {
      return (await clients.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value;
    },
    async secret(id) {
      return (await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: id }))).SecretString;
    },
  };
}

/**
 * The environment with each Slack secret filled in from where `<NAME>_PARAM` (an SSM SecureString parameter
 * name) or `<NAME>_SECRET_ARN` (a Secrets Manager secret holding the plain value) points. A value set
 * directly in the environment wins. Errors name the variable, never the value.
 */
export async function resolveSecrets(env: NodeJS.ProcessEnv, readers?: SecretReaders): Promise<NodeJS.ProcessEnv> {
  const resolved: NodeJS.ProcessEnv = { ...env };
  let aws: SecretReaders | undefined;
  const read = () => readers ?? (aws ??= awsSecretReaders());
  await Promise.all(
    SECRET_NAMES.map(async (name) => {
      if (env[name]?.trim()) return;
      const param = env[`${name}_PARAM`]?.trim();
      const arn = env[`${name}_SECRET_ARN`]?.trim();
      if (!param && !arn) return;
      const value = param ? await read().parameter(param) : await read().secret(arn!);
      if (!value?.trim()) throw new Error(`${name}: ${param ? `SSM parameter ${param}` : `secret ${arn}`} is empty`);
      resolved[name] = value.trim();
    }),
  );
  return resolved;
}

let cached: Promise<NodeJS.ProcessEnv> | undefined;

/** resolveSecrets once per container (cold start); a failure is not cached, so the next invocation retries. */
export function containerEnv(
  readers?: SecretReaders,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NodeJS.ProcessEnv> {
  cached ??= resolveSecrets(env, readers).catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}
