import type { IdentitySource } from '../domain/identity.js';

export interface IdentitySettings {
  emailTag: string;
  slackIdTag: string;
  emailDomain?: string;
  map: Record<string, string>;
}

export type IdentityCandidate = { via: IdentitySource; slackUserId: string } | { via: IdentitySource; email: string };

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
 * The ways an IAM user may be matched to a Slack user, in the order they are tried:
 * a Slack ID tag, an e-mail tag, the user name as an e-mail, the name at the configured domain, the config map.
 */
export function identityCandidates(userName: string, tags: Record<string, string>, settings: IdentitySettings): IdentityCandidate[] {
  const out: IdentityCandidate[] = [];
  const slackId = tagValue(tags, settings.slackIdTag);
  if (slackId && SLACK_USER_ID.test(slackId)) out.push({ via: 'slack-tag', slackUserId: slackId });
  const email = tagValue(tags, settings.emailTag);
  if (email && isEmail(email)) out.push({ via: 'email-tag', email: email.toLowerCase() });
  if (isEmail(userName)) out.push({ via: 'username-email', email: userName.toLowerCase() });
  if (settings.emailDomain && !userName.includes('@')) {
    const guess = `${userName}@${settings.emailDomain}`;
    if (isEmail(guess)) out.push({ via: 'email-domain', email: guess.toLowerCase() });
  }
  const mapped = settings.map[userName];
  if (mapped) out.push({ via: 'config-map', slackUserId: mapped });
  return out;
}
