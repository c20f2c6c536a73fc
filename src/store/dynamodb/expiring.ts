import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { KEYS, toItem } from './items.js';
import type { TableRequests } from './requests.js';
import { EXPIRES_AT } from './table.js';

/** Epoch seconds, the unit of DynamoDB's TTL attribute. */
const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/**
 * Items that stop counting at a time: remembered e-mail misses and claims of Slack requests. DynamoDB's TTL
 * deletes them only eventually (up to days later), so every read and condition compares `expires_at` itself.
 */
export class ExpiringItems {
  constructor(private readonly db: TableRequests) {}

  async emailMisses(now: Date): Promise<Set<string>> {
    const items = await this.db.query({ pk: KEYS.emailMisses });
    return new Set(items.filter((i) => Number(i[EXPIRES_AT]?.N) > seconds(now)).map((i) => i.sk!.S!));
  }

  async rememberEmailMisses(emails: readonly string[], until: Date): Promise<void> {
    await this.db.putAll(
      [...new Set(emails.map((e) => e.toLowerCase()))].map((email) =>
        toItem({ pk: KEYS.emailMisses, sk: email, [EXPIRES_AT]: seconds(until) }),
      ),
    );
  }

  /** A conditional put: there is no item for this request, or its claim has expired. */
  async claimRequest(key: string, at: Date, expiresAt: Date): Promise<boolean> {
    return this.db.conditional(() =>
      this.db.client.send(
        new PutItemCommand({
          TableName: this.db.table,
          Item: toItem({ ...KEYS.request(key), claimed_at: at.toISOString(), [EXPIRES_AT]: seconds(expiresAt) }),
          ConditionExpression: 'attribute_not_exists(pk) OR #expires <= :now',
          ExpressionAttributeNames: { '#expires': EXPIRES_AT },
          ExpressionAttributeValues: { ':now': { N: String(seconds(at)) } },
        }),
      ),
    );
  }
}
