import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { fromItem, keyOf, toItem, type Item, type Plain } from './items.js';

export interface QuerySpec {
  pk: string;
  /** Items whose sort key starts with this. */
  prefix?: string;
  /** Items whose sort key is below this. */
  below?: string;
  descending?: boolean;
  /** Stop after this many items. */
  limit?: number;
}

/** The plumbing every store method uses: paginated queries, batched writes, counters, conditions. */
export class TableRequests {
  constructor(
    readonly client: DynamoDBClient,
    readonly table: string,
    /** Items per Query page (DynamoDB's own cap is 1 MB a page); small in tests to force pagination. */
    private readonly pageSize?: number,
  ) {}

  async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const r = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: keyOf(pk, sk), ConsistentRead: true }),
    );
    return r.Item ? fromItem<T>(r.Item) : undefined;
  }

  async put(item: Item, condition?: string, values?: Record<string, AttributeValue>): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.table,
        Item: item,
        ...(condition ? { ConditionExpression: condition } : {}),
        ...(values ? { ExpressionAttributeValues: values } : {}),
      }),
    );
  }

  async query(spec: QuerySpec): Promise<Item[]> {
    const items: Item[] = [];
    const values: Item = { ':pk': { S: spec.pk } };
    let condition = 'pk = :pk';
    if (spec.prefix !== undefined) {
      condition += ' AND begins_with(sk, :prefix)';
      values[':prefix'] = { S: spec.prefix };
    } else if (spec.below !== undefined) {
      condition += ' AND sk < :below';
      values[':below'] = { S: spec.below };
    }
    let start: Item | undefined;
    do {
      const remaining = spec.limit === undefined ? undefined : spec.limit - items.length;
      const limit = [remaining, this.pageSize].filter((n): n is number => n !== undefined);
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: condition,
          ExpressionAttributeValues: values,
          ScanIndexForward: !spec.descending,
          ConsistentRead: true,
          ExclusiveStartKey: start,
          ...(limit.length > 0 ? { Limit: Math.min(...limit) } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && (spec.limit === undefined || items.length < spec.limit));
    return items;
  }

  /** Puts every item, 25 a request, resending what DynamoDB left unprocessed. Not atomic. */
  async putAll(items: readonly Item[]): Promise<void> {
    await this.writeAll(items.map((Item) => ({ PutRequest: { Item } })));
  }

  /** Deletes every item with these keys, as putAll writes. */
  async deleteAll(keys: ReadonlyArray<{ pk: string; sk: string }>): Promise<void> {
    await this.writeAll(keys.map((k) => ({ DeleteRequest: { Key: keyOf(k.pk, k.sk) } })));
  }

  private async writeAll(all: readonly WriteRequest[]): Promise<void> {
    for (let i = 0; i < all.length; i += 25) {
      let requests: WriteRequest[] = all.slice(i, i + 25);
      for (let round = 0; requests.length > 0; round++) {
        if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
        const r = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: requests } }));
        requests = r.UnprocessedItems?.[this.table] ?? [];
      }
    }
  }

  /** Adds `count` to a named counter (starting at 0) and returns its new value. */
  async next(counter: { pk: string; sk: string }, count = 1): Promise<number> {
    const r = await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: keyOf(counter.pk, counter.sk),
        UpdateExpression: 'ADD #value :count',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':count': { N: String(count) } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(r.Attributes!.value!.N);
  }

  /** Runs a conditional write; false when its condition did not hold (another writer got there first). */
  async conditional(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  /**
   * All or nothing; false when a condition failed. A transaction that collided with another one on the
   * same items (TransactionConflict) is tried again: only a failed condition means someone else won.
   */
  async transact(items: TransactWriteItem[]): Promise<boolean> {
    for (let round = 0; ; round++) {
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return true;
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        const codes = (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
        if (codes.includes('ConditionalCheckFailed')) return false;
        if (round >= 5 || !codes.some((c) => c === 'TransactionConflict')) throw e;
        await new Promise((r) => setTimeout(r, 20 * 2 ** round + Math.random() * 20));
      }
    }
  }

  /** Sets `values` on an existing item if its attributes equal `expected` (a list: any of them); false otherwise. */
  async updateIf(
    pk: string,
    sk: string,
    values: Record<string, Plain>,
    expected: Record<string, Plain | Plain[]>,
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    const attrValues: Item = {};
    const set: string[] = [];
    const conditions: string[] = ['attribute_exists(pk)'];
    Object.entries(values).forEach(([name, v], i) => {
      names[`#v${i}`] = name;
      attrValues[`:v${i}`] = toItem({ v }).v!;
      set.push(`#v${i} = :v${i}`);
    });
    Object.entries(expected).forEach(([name, v], i) => {
      names[`#c${i}`] = name;
      const options = Array.isArray(v) ? v : [v];
      options.forEach((o, j) => {
        attrValues[`:c${i}_${j}`] = toItem({ o }).o!;
      });
      conditions.push(`#c${i} IN (${options.map((_, j) => `:c${i}_${j}`).join(', ')})`);
    });
    return this.conditional(() =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: keyOf(pk, sk),
          UpdateExpression: `SET ${set.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: attrValues,
        }),
      ),
    );
  }
}
