import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type MotoServer } from './moto/index.js';
import { motoClientConfig } from './aws.js';

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

describe('the emulator, as DynamoDB does', () => {
  it('applies a conditional write as one step: of two racing puts of a new key, exactly one wins', async () => {
    const db = new DynamoDBClient(motoClientConfig(moto));
    await db.send(
      new CreateTableCommand({
        TableName: 'race',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const put = (key: string, by: string) =>
      db
        .send(
          new PutItemCommand({
            TableName: 'race',
            Item: { pk: { S: key }, by: { S: by } },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        .then(
          () => true,
          (err: unknown) => {
            if (err instanceof ConditionalCheckFailedException) return false;
            throw err;
          },
        );
    const keys = Array.from({ length: 150 }, (_, i) => `k${i}`);
    const won = await Promise.all(keys.flatMap((k) => [put(k, 'a'), put(k, 'b')]));
    expect(won.filter(Boolean)).toHaveLength(keys.length);
  });
});
