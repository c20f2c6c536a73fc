import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { awsSecretReaders, containerEnv, resolveSecrets, type SecretReaders } from '../../src/lambda/secrets.js';
import { useMoto } from '../support/use-moto.js';
import { motoClientConfig } from '../support/aws.js';

const moto = useMoto();
const sdk = () => motoClientConfig(moto);
const TOKEN = 'xoxb-1-secret-token-value';
const SIGNING = 'signing-secret-value-0123';

describe('Slack secrets at cold start', () => {
  it('reads SSM SecureString parameters (with decryption) named by *_PARAM', async () => {
    const ssm = new SSMClient(sdk());
    await ssm.send(new PutParameterCommand({ Name: '/mfa-bot/slack-bot-token', Value: TOKEN, Type: 'SecureString' }));
    await ssm.send(
      new PutParameterCommand({ Name: '/mfa-bot/slack-signing-secret', Value: SIGNING, Type: 'SecureString' }),
    );
    const env = await resolveSecrets(
      {
        SLACK_BOT_TOKEN_PARAM: '/mfa-bot/slack-bot-token',
        SLACK_SIGNING_SECRET_PARAM: '/mfa-bot/slack-signing-secret',
      },
      awsSecretReaders({ ssm: new SSMClient(sdk()), secretsManager: new SecretsManagerClient(sdk()) }),
    );
    expect(env).toMatchObject({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SIGNING });
  });

  it('reads Secrets Manager secrets named by *_SECRET_ARN (a name or an ARN)', async () => {
    const sm = new SecretsManagerClient(sdk());
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'mfa-bot/slack-bot-token', SecretString: TOKEN }));
    await sm.send(new CreateSecretCommand({ Name: 'mfa-bot/slack-signing-secret', SecretString: SIGNING }));
    const env = await resolveSecrets(
      { SLACK_BOT_TOKEN_SECRET_ARN: ARN, SLACK_SIGNING_SECRET_SECRET_ARN: 'mfa-bot/slack-signing-secret' },
      awsSecretReaders({ ssm: new SSMClient(sdk()), secretsManager: new SecretsManagerClient(sdk()) }),
    );
    expect(env).toMatchObject({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SIGNING });
  });

  it('a value set directly wins; an empty secret is an error naming the variable, never a value', async () => {
    const readers: SecretReaders = { parameter: async () => '  ', secret: async () => 'unused' };
    expect(await resolveSecrets({ SLACK_BOT_TOKEN: TOKEN, SLACK_BOT_TOKEN_PARAM: '/x' }, readers)).toMatchObject({
      SLACK_BOT_TOKEN: TOKEN,
    });
    await expect(resolveSecrets({ SLACK_SIGNING_SECRET_PARAM: '/empty' }, readers)).rejects.toThrow(
      'SLACK_SIGNING_SECRET: SSM parameter /empty is empty',
    );
  });

  it('is read once per container; a failed read is retried at the next invocation', async () => {
    let calls = 0;
    const readers: SecretReaders = {
      parameter: async () => {
        calls += 1;
        if (calls === 1) throw new Error('throttled');
        return TOKEN;
      },
      secret: async () => undefined,
    };
    const env = { SLACK_BOT_TOKEN_PARAM: '/mfa-bot/slack-bot-token' };
    await expect(containerEnv(readers, env)).rejects.toThrow('throttled');
    expect((await containerEnv(readers, env)).SLACK_BOT_TOKEN).toBe(TOKEN);
    expect((await containerEnv(readers, env)).SLACK_BOT_TOKEN).toBe(TOKEN);
    expect(calls).toBe(2);
  });
});
