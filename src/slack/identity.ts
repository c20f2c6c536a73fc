import { identityKey, type SlackIdentity } from '../domain/identity.js';
import type { SlackDirectory } from './directory.js';
import { identityCandidates, type IdentitySettings } from './identity-rules.js';

export interface IamPerson {
  accountId: string;
  userName: string;
  tags: Record<string, string>;
}

export interface IdentityResolution {
  identities: Map<string, SlackIdentity>;
  /** People with no usable match, and what was tried, so admins can fix the mapping. */
  unmapped: Array<{ accountId: string; userName: string; tried: string[] }>;
}

/**
 * Maps IAM users to Slack users; the first candidate that names an active Slack member wins.
 * Without a directory (a dry run with no token) IDs from tags and the config map are taken on trust
 * and e-mail candidates cannot be checked. `lookupByEmail: false` matches e-mails against the member
 * list only, for people nobody has to message.
 */
export async function resolveIdentities(
  people: readonly IamPerson[],
  settings: IdentitySettings,
  directory?: SlackDirectory,
  options: { lookupByEmail?: boolean } = {},
): Promise<IdentityResolution> {
  const identities = new Map<string, SlackIdentity>();
  const unmapped: IdentityResolution['unmapped'] = [];
  for (const person of people) {
    const candidates = identityCandidates(person.userName, person.tags, settings);
    let match: SlackIdentity | undefined;
    for (const c of candidates) {
      if ('slackUserId' in c) {
        if (!directory) match = { slackUserId: c.slackUserId, via: c.via };
        else {
          const user = await directory.byUserId(c.slackUserId);
          if (user?.active) match = { slackUserId: user.id, via: c.via, ...(user.tz ? { tz: user.tz } : {}) };
        }
      } else if (directory) {
        const user = await directory.byEmailAddress(c.email, { lookup: options.lookupByEmail !== false });
        if (user) match = { slackUserId: user.id, via: c.via, email: c.email, ...(user.tz ? { tz: user.tz } : {}) };
      }
      if (match) break;
    }
    if (match) identities.set(identityKey(person.accountId, person.userName), match);
    else unmapped.push({ accountId: person.accountId, userName: person.userName, tried: candidates.map((c) => ('email' in c ? `${c.via}:${c.email}` : `${c.via}:${c.slackUserId}`)) });
  }
  return { identities, unmapped };
}
