import type { IAMClient } from '@aws-sdk/client-iam';
import { fetchUserTags } from '../aws/user-tags.js';
import type { Config } from '../config/schema.js';
import { identityKey, type IdentityConflict, type SlackIdentity } from '../domain/identity.js';
import type { ScanResult } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import { SlackDirectory } from '../slack/directory.js';
import { slackErrorCode, slackErrorHint } from '../slack/errors.js';
import { resolveIdentities, type IamPerson, type IdentityResolution } from '../slack/identity.js';
import type { StateStore } from '../store/store.js';
import { DeliveryError } from './delivery-error.js';
import { nudgeTargets } from './plan-delivery.js';

export interface PeopleMapping {
  /** Every console user that maps to a Slack member. */
  identities: Map<string, SlackIdentity>;
  /** Failing and grace users with no match: the ones a DM cannot reach. */
  unmapped: IdentityResolution['unmapped'];
  /** Failing and grace users two identity rules disagree about: no DM until identity.map settles it. */
  conflicts: IdentityConflict[];
  tagErrors: Array<{ accountId: string; userName: string; code: string }>;
  /** Why users.list could not be read to the end (then e-mails the list lacked were looked up, within the budget). */
  memberListIncomplete?: string;
}

/** The state the mapping reads (remembered e-mail misses) and, unless `write` is false (a dry run), updates. */
export interface MappingMemory {
  store: StateStore;
  now: Date;
  write: boolean;
}

const HOUR_MS = 60 * 60_000;

/** Stores the addresses the directory's lookups found no one for, so no cycle or process asks again for `hours`. */
export async function rememberMisses(
  store: StateStore,
  directory: SlackDirectory,
  hours: number,
  now: Date,
): Promise<void> {
  if (directory.newMisses.length === 0 || hours <= 0) return;
  await store.rememberEmailMisses(directory.newMisses, new Date(now.getTime() + hours * HOUR_MS));
}

/**
 * Maps every console user of a scan to Slack, so the state remembers people who are fine too (for
 * `/mfa-check me`). IAM tags are read only for the people who must be messaged (one ListUserTags each),
 * so a scan's IAM calls do not grow with the users who are fine; those are matched by the rules that need
 * no tag (an e-mail user name, the e-mail domain, the config map), and the store keeps any mapping a tag
 * gave them while they were failing. Likewise only people who must be messaged may cost a
 * users.lookupByEmail call (Tier 3, about 50 a minute); everyone else is matched against the one users.list pass.
 * Lookups happen only when that pass was cut short, at most identity.maxLookupsPerCycle of them, never about
 * an address the store remembers as unknown; the addresses they find no one for are remembered in turn.
 * A conflict forgets the user's stored mapping, so neither candidate holds their buttons or `/mfa-check me`.
 */
export async function mapPeople(
  iamFor: (accountId: string) => IAMClient | undefined,
  slack: SlackApi | undefined,
  config: Config,
  scan: ScanResult,
  memory?: MappingMemory,
): Promise<PeopleMapping> {
  const targets = new Set(nudgeTargets(scan).map((t) => identityKey(t.account.accountId, t.verdict.principal)));
  const isTarget = (p: { accountId: string; userName: string }) => targets.has(identityKey(p.accountId, p.userName));
  const consoleUsers = scan.accounts.flatMap((account) =>
    account.verdicts
      .filter((v) => v.check === 'user-console-mfa' && v.status !== 'not_applicable' && v.status !== 'error')
      .map((v) => ({ accountId: account.accountId, userName: v.principal })),
  );
  const tags = new Map<string, Record<string, string>>();
  const tagErrors: PeopleMapping['tagErrors'] = [];
  for (const accountId of new Set(consoleUsers.filter(isTarget).map((u) => u.accountId))) {
    const iam = iamFor(accountId);
    if (!iam) continue;
    const read = await fetchUserTags(
      iam,
      consoleUsers.filter((u) => u.accountId === accountId && isTarget(u)).map((u) => u.userName),
    );
    for (const [userName, t] of read.tags) tags.set(identityKey(accountId, userName), t);
    for (const [userName, code] of read.errors) tagErrors.push({ accountId, userName, code });
  }
  const people: IamPerson[] = consoleUsers.map((u) => ({
    ...u,
    tags: tags.get(identityKey(u.accountId, u.userName)) ?? {},
  }));

  let directory: SlackDirectory | undefined;
  if (slack && people.length > 0) {
    const knownMisses = memory ? await memory.store.emailMisses(memory.now) : undefined;
    directory = new SlackDirectory(slack, {
      maxLookups: config.identity.maxLookupsPerCycle,
      ...(knownMisses ? { knownMisses } : {}),
    });
    try {
      await directory.load();
    } catch (err) {
      const code = slackErrorCode(err);
      throw new DeliveryError(
        `cannot read the Slack member list: ${code}${slackErrorHint(code) ? ` (${slackErrorHint(code)})` : ''}`,
      );
    }
  }
  const messaged = await resolveIdentities(people.filter(isTarget), config.identity, directory);
  const fine = await resolveIdentities(
    people.filter((p) => !isTarget(p)),
    config.identity,
    directory,
    { lookupByEmail: false },
  );
  if (memory?.write) {
    if (directory) await rememberMisses(memory.store, directory, config.identity.rememberMissesHours, memory.now);
    for (const c of messaged.conflicts) await memory.store.forgetIdentity(c.accountId, c.userName);
  }
  return {
    identities: new Map([...fine.identities, ...messaged.identities]),
    unmapped: messaged.unmapped,
    conflicts: messaged.conflicts,
    tagErrors,
    ...(directory?.incompleteBecause ? { memberListIncomplete: directory.incompleteBecause } : {}),
  };
}
