import type { IAMClient } from '@aws-sdk/client-iam';
import { fetchUserTags } from '../aws/user-tags.js';
import type { Config } from '../config/schema.js';
import { identityKey, type SlackIdentity } from '../domain/identity.js';
import type { ScanResult } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import { SlackDirectory } from '../slack/directory.js';
import { slackErrorCode, slackErrorHint } from '../slack/errors.js';
import { resolveIdentities, type IamPerson, type IdentityResolution } from '../slack/identity.js';
import { DeliveryError } from './delivery-error.js';
import { nudgeTargets } from './plan-delivery.js';

export interface PeopleMapping {
  /** Every console user that maps to a Slack member. */
  identities: Map<string, SlackIdentity>;
  /** Failing and grace users with no match: the ones a DM cannot reach. */
  unmapped: IdentityResolution['unmapped'];
  tagErrors: Array<{ accountId: string; userName: string; code: string }>;
}

/**
 * Maps every console user of a scan to Slack, so the state remembers people who are fine too (for
 * `/mfa-check me`). Only the people who must be messaged may cost a users.lookupByEmail call (Tier 3,
 * about 50 a minute); everyone else is matched against the one users.list pass.
 */
export async function mapPeople(iam: IAMClient, slack: SlackApi | undefined, config: Config, scan: ScanResult): Promise<PeopleMapping> {
  const targets = new Set(nudgeTargets(scan).map((t) => identityKey(t.account.accountId, t.verdict.principal)));
  const consoleUsers = scan.accounts.flatMap((account) =>
    account.verdicts.filter((v) => v.check === 'user-console-mfa' && v.status !== 'not_applicable' && v.status !== 'error').map((v) => ({ accountId: account.accountId, userName: v.principal })),
  );
  const { tags, errors } = await fetchUserTags(iam, consoleUsers.map((u) => u.userName));
  const people: IamPerson[] = consoleUsers.map((u) => ({ ...u, tags: tags.get(u.userName) ?? {} }));

  let directory: SlackDirectory | undefined;
  if (slack && people.length > 0) {
    directory = new SlackDirectory(slack);
    try {
      await directory.load();
    } catch (err) {
      const code = slackErrorCode(err);
      throw new DeliveryError(`cannot read the Slack member list: ${code}${slackErrorHint(code) ? ` (${slackErrorHint(code)})` : ''}`);
    }
  }
  const isTarget = (p: IamPerson) => targets.has(identityKey(p.accountId, p.userName));
  const messaged = await resolveIdentities(people.filter(isTarget), config.identity, directory);
  const fine = await resolveIdentities(people.filter((p) => !isTarget(p)), config.identity, directory, { lookupByEmail: false });
  return {
    identities: new Map([...fine.identities, ...messaged.identities]),
    unmapped: messaged.unmapped,
    tagErrors: [...errors].map(([userName, code]) => ({ accountId: scan.accounts[0]?.accountId ?? 'unknown', userName, code })),
  };
}
