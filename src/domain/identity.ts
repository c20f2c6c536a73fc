/**
 * How an IAM user was matched to a Slack user. `config-map` (the admin's word) wins over everything; the
 * other rules must agree with each other, else the user is an IdentityConflict and matched to no one.
 */
export type IdentitySource = 'slack-tag' | 'email-tag' | 'username-email' | 'email-domain' | 'config-map';

export interface SlackIdentity {
  slackUserId: string;
  via: IdentitySource;
  /** The e-mail address that matched, when the match went through one. */
  email?: string;
  /** The Slack user's IANA time zone, when known (users.list / users.info `tz`). */
  tz?: string;
}

export function identityKey(accountId: string, userName: string): string {
  return `${accountId}/${userName}`;
}

/** IAM users mapped to Slack users, keyed by identityKey(); unmapped users are absent. */
export type IdentityMap = ReadonlyMap<string, SlackIdentity>;

/**
 * Two identity rules name different Slack members for one IAM user (say a `slack` tag and the user's e-mail):
 * anyone allowed iam:TagUser could otherwise redirect a colleague's nudges. Neither is messaged until an
 * admin settles it with `identity.map`.
 */
export interface IdentityConflict {
  accountId: string;
  userName: string;
  /** Each rule that found someone: the value it went by (a Slack ID or an address) and the member it found. */
  claims: Array<{ via: IdentitySource; value: string; slackUserId: string }>;
}
