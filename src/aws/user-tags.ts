import { paginateListUserTags, type IAMClient } from '@aws-sdk/client-iam';
import { mapLimit } from '../util/map-limit.js';
import { describeAwsError } from './errors.js';

export interface UserTagsResult {
  tags: Map<string, Record<string, string>>;
  /** Users whose tags could not be read, with the AWS error code: they fall back to the other identity rules. */
  errors: Map<string, string>;
}

/** Tags are read only for the users named (people with a console login), not for every IAM user of the account. */
export async function fetchUserTags(
  iam: IAMClient,
  userNames: readonly string[],
  concurrency = 4,
): Promise<UserTagsResult> {
  const tags = new Map<string, Record<string, string>>();
  const errors = new Map<string, string>();
  await mapLimit([...new Set(userNames)], concurrency, async (userName) => {
    try {
      const found: Record<string, string> = {};
      for await (const page of paginateListUserTags({ client: iam }, { UserName: userName })) {
        for (const t of page.Tags ?? []) if (t.Key) found[t.Key] = t.Value ?? '';
      }
      tags.set(userName, found);
    } catch (err) {
      errors.set(userName, describeAwsError(err).code);
    }
  });
  return { tags, errors };
}
