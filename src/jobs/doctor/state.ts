import {
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { clientConfig, type AwsOptions } from '../../aws/clients.js';
import { AwsSetupError } from '../../aws/setup.js';
import type { Config } from '../../config/schema.js';
import { STATE_TABLE_DEFINITION } from '../../store/dynamodb/table.js';
import { StateStoreError } from '../../store/errors.js';
import { inspectStateFile } from '../../store/sqlite/inspect.js';
import { codeOf, DOCTOR_POLICY, tryCall } from './aws-access.js';
import { fail, ok, skip, type DoctorCheck } from './check.js';

/** The state: the SQLite file (state.path) or the DynamoDB table (state.dynamodbTable). Nothing is created or kept. */
export async function checkState(config: Config, aws: AwsOptions): Promise<DoctorCheck[]> {
  if (config.state.dynamodbTable) return checkTable(config.state.dynamodbTable, aws);
  return [checkFile(config.state.path)];
}

function checkFile(path: string): DoctorCheck {
  const name = 'state.path';
  try {
    const found = inspectStateFile(path);
    if (found.kind === 'missing')
      return ok(
        'state',
        name,
        `${found.location} does not exist yet: the first run creates it (${found.directory} is writable)`,
      );
    const version =
      found.version === found.latest
        ? `schema version ${found.version}, the latest`
        : `schema version ${found.version}; the next run upgrades it to ${found.latest}`;
    return ok('state', name, `${found.location}: readable and writable, ${version}`);
  } catch (err) {
    if (!(err instanceof StateStoreError)) throw err;
    return fail(
      'state',
      name,
      err.message,
      'fix the file or its directory as the message says, or point state.path elsewhere',
    );
  }
}

const PROBE_KEY = { pk: { S: 'mfa-bot-doctor' }, sk: { S: 'probe' } };

function sameKeys(schema: KeySchemaElement[] | undefined): boolean {
  const want = STATE_TABLE_DEFINITION.KeySchema.map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  return (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',') === want;
}

/**
 * DescribeTable (a read only doctor makes), then the item actions the store uses: a GetItem of a key no one
 * writes, and a PutItem whose condition can never hold, so DynamoDB checks the permission and writes nothing.
 */
async function checkTable(table: string, aws: AwsOptions): Promise<DoctorCheck[]> {
  const name = 'state.dynamodbTable';
  let db: DynamoDBClient;
  try {
    db = new DynamoDBClient(clientConfig({ ...aws, warn: () => {} }));
  } catch (err) {
    if (!(err instanceof AwsSetupError)) throw err;
    return [skip('state', name, `not checked: ${err.message}`)];
  }
  const lines: DoctorCheck[] = [];
  const described = await tryCall(() => db.send(new DescribeTableCommand({ TableName: table })));
  if (described.kind === 'permitted' && described.code === 'ResourceNotFoundException')
    return [
      fail(
        'state',
        name,
        `the table ${table} does not exist`,
        'deploy the stack (serverless.yml creates it), or fix state.dynamodbTable',
      ),
    ];
  if (described.kind === 'answered') {
    const t = described.value.Table;
    if (!sameKeys(t?.KeySchema))
      return [
        fail(
          'state',
          name,
          `the table ${table} does not have the keys pk (HASH) and sk (RANGE)`,
          'use the table serverless.yml creates (src/store/dynamodb/table.ts)',
        ),
      ];
    lines.push(ok('state', `${name} (DescribeTable)`, `${table} is ${t?.TableStatus ?? 'there'}, with keys pk and sk`));
  } else
    lines.push(
      skip(
        'state',
        `${name} (DescribeTable)`,
        `not checked (${codeOf(described)}); mfa-bot itself never calls it (${DOCTOR_POLICY} allows it)`,
      ),
    );
  const read = await tryCall(() => db.send(new GetItemCommand({ TableName: table, Key: PROBE_KEY })));
  const write = await tryCall(() =>
    db.send(
      new PutItemCommand({
        TableName: table,
        Item: PROBE_KEY,
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(pk)',
      }),
    ),
  );
  // A store that ignored the condition (only an emulator could) must not keep the probe.
  if (write.kind === 'answered')
    await tryCall(() => db.send(new DeleteItemCommand({ TableName: table, Key: PROBE_KEY })));
  const writeOk = write.kind === 'permitted' && write.code === 'ConditionalCheckFailedException';
  if (read.kind === 'answered' && writeOk)
    lines.push(
      ok(
        'state',
        name,
        `${table}: GetItem and PutItem permitted (the PutItem's condition cannot hold: nothing was written)`,
      ),
    );
  else {
    const bad = [
      read.kind === 'answered' ? '' : `GetItem ${codeOf(read)}`,
      writeOk ? '' : `PutItem ${write.kind === 'answered' ? 'succeeded' : codeOf(write)}`,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      fail(
        'state',
        name,
        `${table} cannot be used: ${bad}`,
        `give the bot the table's item actions (GetItem, PutItem, UpdateItem, DeleteItem, Query, BatchWriteItem)`,
      ),
    );
  }
  return lines;
}
