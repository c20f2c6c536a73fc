import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The state table, shared by serverless.yml and the tests: one table, string keys `pk` and `sk`, no
 * secondary index (every read is a key lookup or a Query on one partition). Items that expire (e-mail
 * misses, claims of Slack requests) carry EXPIRES_AT, the table's TTL attribute; the store never relies
 * on TTL having deleted them, so a table without TTL is correct, only larger.
 */
export const STATE_TABLE_DEFINITION = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
} satisfies Omit<CreateTableCommandInput, 'TableName'>;

export function createStateTableInput(tableName: string): CreateTableCommandInput {
  return { TableName: tableName, ...STATE_TABLE_DEFINITION };
}

/** The TTL attribute (epoch seconds), named in serverless.yml's TimeToLiveSpecification. */
export const EXPIRES_AT = 'expires_at';
