import { identityKey, type IdentityConflict, type SlackIdentity } from '../domain/identity.js';
import type { DirectoryUser, SlackDirectory } from './directory.js';
import { describeCandidate, identityRules, type IdentityCandidate, type IdentitySettings } from './identity-rules.js';

export interface IamPerson {
  accountId: string;
  userName: string;
  tags: Record<string, string>;
}

export interface UnmappedPerson {
  accountId: string;
  userName: string;
  /**
   * What was tried (`rule:value`), so admins can fix the mapping; for a conflict, each rule with the member it found.
   */
  tried: string[];
  /** Two rules named different Slack members: see IdentityResolution.conflicts. */
  conflict?: true;
  /**
   * No Slack directory to check against (a dry run without SLACK_BOT_TOKEN): the addresses in `tried` were not
   * looked up, and a real run would DM the member who has one.
   */
  unchecked?: true;
  /**
   * Not every rule could be checked: the users.lookupByEmail budget of this cycle was spent. Tried again next cycle.
   */
  deferred?: true;
}

export interface IdentityResolution {
  identities: Map<string, SlackIdentity>;
  /** People with no usable match, and what was tried, so admins can fix the mapping. */
  unmapped: UnmappedPerson[];
  /** People two rules disagree about: matched to no one until identity.map names one. */
  conflicts: IdentityConflict[];
}

type Outcome =
  | { match: SlackIdentity }
  | { unmapped: Omit<UnmappedPerson, 'accountId' | 'userName'>; conflict?: IdentityConflict['claims'] };

interface Found {
  candidate: IdentityCandidate;
  user: Pick<DirectoryUser, 'id' | 'tz'>;
}

const withTz = (user: Pick<DirectoryUser, 'tz'>) => (user.tz ? { tz: user.tz } : {});

/**
 * The member a rule finds: active ones only; without a directory an ID is taken on trust and an address cannot be
 * checked.
 */
async function find(
  c: IdentityCandidate,
  directory: SlackDirectory | undefined,
  lookup: boolean,
): Promise<{ user?: Found['user']; deferred?: true }> {
  if ('slackUserId' in c) {
    if (!directory) return { user: { id: c.slackUserId } };
    const user = await directory.byUserId(c.slackUserId);
    return user?.active ? { user } : {};
  }
  if (!directory) return {};
  const answer = await directory.answerFor(c.email, { lookup });
  return answer.found ? { user: answer.found } : answer.deferred ? { deferred: true } : {};
}

async function resolveOne(
  person: IamPerson,
  settings: IdentitySettings,
  directory: SlackDirectory | undefined,
  lookup: boolean,
): Promise<Outcome> {
  const rules = identityRules(person.userName, person.tags, settings);
  // The admin's explicit map is the last word: no tag can override it, and an inactive target is not replaced by one.
  if (rules.mapped) {
    const { user } = await find(rules.mapped, directory, lookup);
    return user
      ? { match: { slackUserId: user.id, via: 'config-map', ...withTz(user) } }
      : { unmapped: { tried: [describeCandidate(rules.mapped)] } };
  }
  const found: Found[] = [];
  let deferred = false;
  for (const candidate of rules.others) {
    const r = await find(candidate, directory, lookup);
    if (r.user) found.push({ candidate, user: r.user });
    if (r.deferred) deferred = true;
  }
  const tried = rules.others.map(describeCandidate);
  if (new Set(found.map((f) => f.user.id)).size > 1) {
    const claims = found.map((f) => ({
      via: f.candidate.via,
      value: 'email' in f.candidate ? f.candidate.email : f.candidate.slackUserId,
      slackUserId: f.user.id,
    }));
    return {
      unmapped: { tried: claims.map((c) => `${c.via}:${c.value} → ${c.slackUserId}`), conflict: true },
      conflict: claims,
    };
  }
  // A rule left unchecked might have named someone else: no match until every rule has been checked.
  if (deferred) return { unmapped: { tried, deferred: true } };
  const first = found[0];
  const unchecked = !directory && rules.others.some((c) => 'email' in c);
  if (!first) return { unmapped: { tried, ...(unchecked ? { unchecked: true as const } : {}) } };
  const email = 'email' in first.candidate ? { email: first.candidate.email } : {};
  return { match: { slackUserId: first.user.id, via: first.candidate.via, ...email, ...withTz(first.user) } };
}

/**
 * Maps IAM users to Slack users. `identity.map` wins outright; otherwise every rule that applies is checked,
 * and they must agree: one member found by any of them is the match, two different members are a conflict
 * (nobody is messaged). Without a directory (a dry run with no token) IDs from tags and the config map are
 * taken on trust and e-mail candidates cannot be checked. `lookupByEmail: false` matches e-mails against the
 * member list only, for people nobody has to message.
 */
export async function resolveIdentities(
  people: readonly IamPerson[],
  settings: IdentitySettings,
  directory?: SlackDirectory,
  options: { lookupByEmail?: boolean } = {},
): Promise<IdentityResolution> {
  const identities = new Map<string, SlackIdentity>();
  const unmapped: UnmappedPerson[] = [];
  const conflicts: IdentityConflict[] = [];
  for (const person of people) {
    const outcome = await resolveOne(person, settings, directory, options.lookupByEmail !== false);
    const who = { accountId: person.accountId, userName: person.userName };
    if ('match' in outcome) identities.set(identityKey(person.accountId, person.userName), outcome.match);
    else {
      unmapped.push({ ...who, ...outcome.unmapped });
      if (outcome.conflict) conflicts.push({ ...who, claims: outcome.conflict });
    }
  }
  return { identities, unmapped, conflicts };
}
