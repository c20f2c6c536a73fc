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
 * `/mfa-check me`). IAM tags are read only for the people who must be messaged (one ListUserTags each),
 * so a scan's IAM calls do not grow with the users who are fine; those are matched by the rules that need
 * no tag (an e-mail user name, the e-mail domain, the config map), and the store keeps any mapping a tag
 * gave them while they were failing. Likewise only people who must be messaged may cost a
 * users.lookupByEmail call (Tier 3, about 50 a minute); everyone else is matched against the one users.list pass.
 */
export async function mapPeople(iamFor: (accountId: string) => IAMClient | undefined, slack: SlackApi | undefined, config: Config, scan: ScanResult): Promise<PeopleMapping> {
  const targets = new Set(nudgeTargets(scan).map((t) => identityKey(t.account.accountId, t.verdict.principal)));
  const isTarget = (p: { accountId: string; userName: string }) => targets.has(identityKey(p.accountId, p.userName));
  const consoleUsers = scan.accounts.flatMap((account) =>
    account.verdicts.filter((v) => v.check === 'user-console-mfa' && v.status !== 'not_applicable' && v.status !== 'error').map((v) => ({ accountId: account.accountId, userName: v.principal })),
  );
  const tags = new Map<string, Record<string, string>>();
  const tagErrors: PeopleMapping['tagErrors'] = [];
  for (const accountId of new Set(consoleUsers.filter(isTarget).map((u) => u.accountId))) {
    const iam = iamFor(accountId);
    if (!iam) continue;
    const read = await fetchUserTags(iam, consoleUsers.filter((u) => u.accountId === accountId && isTarget(u)).map((u) => u.userName));
    for (const [userName, t] of read.tags) tags.set(identityKey(accountId, userName), t);
    for (const [userName, code] of read.errors) tagErrors.push({ accountId, userName, code });
  }
  const people: IamPerson[] = consoleUsers.map((u) => ({ ...u, tags: tags.get(identityKey(u.accountId, u.userName)) ?? {} }));

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
  const messaged = await resolveIdentities(people.filter(isTarget), config.identity, directory);
  const fine = await resolveIdentities(people.filter((p) => !isTarget(p)), config.identity, directory, { lookupByEmail: false });
  return {
    identities: new Map([...fine.identities, ...messaged.identities]),
    unmapped: messaged.unmapped,
    tagErrors,
  };
}
