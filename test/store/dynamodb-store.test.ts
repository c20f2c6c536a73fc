import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { DynamoStateStore } from '../../src/store/dynamodb/dynamodb-store.js';
import { MAX_CHUNK_BYTES } from '../../src/store/dynamodb/scan-items.js';
import { createStateTableInput, STATE_TABLE_DEFINITION } from '../../src/store/dynamodb/table.js';
import { openStateStore } from '../../src/store/open-store.js';
import { StateStoreError } from '../../src/store/errors.js';
import { ACCOUNT, failingUser, MONDAY_10, scanOf } from '../domain/nudge-fixtures.js';
import { useMoto } from '../support/use-moto.js';
import { storeContract } from './contract.js';
import { motoClientConfig } from '../support/aws.js';

const moto = useMoto();

let tables = 0;
const clients: DynamoDBClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

// moto does not isolate concurrent transactions (it deep-copies the table under a running one and restores
// the copy when one fails), so the test clients send TransactWriteItems one at a time, as DynamoDB itself
// serializes transactions on the same items. Plain conditional writes still race freely.
let transactions: Promise<unknown> = Promise.resolve();

/** A client of its own (like another Lambda invocation), counting the Query pages it reads. */
function client(): DynamoDBClient & { queries: number } {
  const c = Object.assign(new DynamoDBClient(motoClientConfig(moto)), { queries: 0 });
  c.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === QueryCommand.name) c.queries += 1;
      if (context.commandName !== TransactWriteItemsCommand.name) return next(args);
      const turn = transactions.then(() => next(args));
      transactions = turn.catch(() => undefined);
      return turn;
    },
    { step: 'initialize' },
  );
  clients.push(c);
  return c;
}

async function table(): Promise<string> {
  const name = `mfa-bot-state-${++tables}`;
  await client().send(new CreateTableCommand(createStateTableInput(name)));
  return name;
}

// A page size of 3 items makes every listing in the contract cross several Query pages.
const store = (name: string, pageSize = 3) => new DynamoStateStore({ table: name, client: client(), pageSize });

storeContract('DynamoStateStore', {
  fresh: async () => store(await table()),
  twoOnOneState: async () => {
    const name = await table();
    return [store(name), store(name)];
  },
});

describe('DynamoStateStore: the table', () => {
  it('is created from the shared definition: pk and sk strings, on demand', async () => {
    const name = await table();
    const { Table } = await client().send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.KeySchema).toEqual(STATE_TABLE_DEFINITION.KeySchema);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it("splits a large account's verdicts across items under the 400 KB limit", async () => {
    const name = await table();
    const s = store(name, 1000);
    const users = Array.from({ length: 2000 }, (_, i) => failingUser(`someone-${i}-${'x'.repeat(40)}`));
    const ref = await s.saveScan(scanOf(users), new Map());
    const raw = await client().send(
      new QueryCommand({
        TableName: name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `SCAN#${String(ref.id).padStart(12, '0')}` } },
      }),
    );
    const chunks = (raw.Items ?? []).filter((i) => i.sk!.S!.startsWith('VERDICTS#'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(Buffer.byteLength(c.verdicts!.S!)).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
    expect((await s.latestScan())?.scan.accounts[0]?.verdicts).toHaveLength(2000);
  });

  it('reads a listing across more than one Query page', async () => {
    const name = await table();
    const c = client();
    const s = new DynamoStateStore({ table: name, client: c, pageSize: 100 });
    const identities = new Map(
      Array.from({ length: 250 }, (_, i) => [
        `${ACCOUNT}/user-${i}`,
        { slackUserId: `U${i}`, via: 'email-tag' as const },
      ]),
    );
    await s.saveScan(scanOf([]), identities);
    c.queries = 0;
    expect((await s.knownIdentities()).size).toBe(250);
    expect(c.queries).toBe(3);
  });

  it('surfaces what is not a lost race: a missing table is an error, not "someone else won"', async () => {
    const s = store('no-such-table');
    await expect(
      s.recordHelpRequest({ accountId: ACCOUNT, userName: 'ann', slackUserId: 'U1', at: MONDAY_10, requestId: 'r' }),
    ).rejects.toThrow(/ResourceNotFound|not found|non-existent/i);
    await expect(
      s.claim({
        key: { type: 'digest', channel: 'C1', fingerprint: 'f' },
        kind: 'digest',
        recipient: 'C1',
        claimId: 'x',
        at: MONDAY_10,
      }),
    ).rejects.toThrow();
  });

  it('racing claims from two clients on the same keys: each key won once', async () => {
    const name = await table();
    const [a, b] = [store(name), store(name)];
    await a.applyCaseChanges([
      { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10 },
    ]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ({
        type: 'case' as const,
        case: { accountId: ACCOUNT, userName: 'ann', cycle: 1 },
        step: `nudge-${i + 1}`,
      })).flatMap((key, i) => [
        a.claim({ key, kind: 'nudge', recipient: 'U1', claimId: `a-${i}`, at: MONDAY_10 }),
        b.claim({ key, kind: 'nudge', recipient: 'U1', claimId: `b-${i}`, at: MONDAY_10 }),
      ]),
    );
    expect(results.filter((r) => r.claimed)).toHaveLength(20);
    for (const r of results) if (!r.claimed) expect(r.existing.state).toBe('claimed');
  });
});

describe('openStateStore', () => {
  it(
    'opens the DynamoDB table when state.dynamodbTable ' + 'is set (read-only for a snapshot), SQLite otherwise',
    async () => {
      const config = parseConfig({ state: { dynamodbTable: 'mfa-bot-state' } });
      const write = openStateStore(config, { mode: 'write', now: MONDAY_10 });
      expect(write).toBeInstanceOf(DynamoStateStore);
      expect(write.location).toBe('DynamoDB table mfa-bot-state');
      const snapshot = openStateStore(config, { mode: 'snapshot', now: MONDAY_10 });
      await expect(snapshot.saveScan(scanOf([]), new Map())).rejects.toBeInstanceOf(StateStoreError);
      await Promise.all([write.close(), snapshot.close()]);
      expect(() => parseConfig({ state: { dynamodbTable: 'a b' } })).toThrow(/DynamoDB table name/);
    },
  );
});
