import type { IdentitySource } from '../domain/identity.js';

export interface IdentitySettings {
  emailTag: string;
  slackIdTag: string;
  emailDomain?: string;
  map: Record<string, string>;
  /** Follow a Slack user ID in the `slackIdTag` tag (default true); false ignores that tag. */
  trustSlackIdTag?: boolean;
}

export type IdentityCandidate = { via: IdentitySource; slackUserId: string } | { via: IdentitySource; email: string };

export interface IdentityRules {
  /** identity.map: the admin's word, tried first and alone. */
  mapped?: { via: 'config-map'; slackUserId: string };
  /** Every other rule that applies, in order; the ones that find someone must agree. */
  others: IdentityCandidate[];
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
// Deliberately plain: an address that Slack's users.list could hold, not RFC 5322 in full.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i;

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

function tagValue(tags: Record<string, string>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  const hit = Object.entries(tags).find(([k]) => k.toLowerCase() === wanted);
  return hit?.[1].trim() || undefined;
}

/**
 * The ways an IAM user may be matched to a Slack user: the config map first and on its own; otherwise a
 * Slack ID tag (unless `trustSlackIdTag` is false), an e-mail tag, the user name as an e-mail, the name at
 * the configured domain.
 */
export function identityRules(
  userName: string,
  tags: Record<string, string>,
  settings: IdentitySettings,
): IdentityRules {
  const mapped = settings.map[userName];
  const others: IdentityCandidate[] = [];
  const slackId = settings.trustSlackIdTag === false ? undefined : tagValue(tags, settings.slackIdTag);
  if (slackId && SLACK_USER_ID.test(slackId)) others.push({ via: 'slack-tag', slackUserId: slackId });
  const email = tagValue(tags, settings.emailTag);
  if (email && isEmail(email)) others.push({ via: 'email-tag', email: email.toLowerCase() });
  if (isEmail(userName)) others.push({ via: 'username-email', email: userName.toLowerCase() });
  if (settings.emailDomain && !userName.includes('@')) {
    const guess = `${userName}@${settings.emailDomain}`;
    if (isEmail(guess)) others.push({ via: 'email-domain', email: guess.toLowerCase() });
  }
  return { ...(mapped ? { mapped: { via: 'config-map', slackUserId: mapped } } : {}), others };
}

export function describeCandidate(c: IdentityCandidate): string {
  return 'email' in c ? `${c.via}:${c.email}` : `${c.via}:${c.slackUserId}`;
}
