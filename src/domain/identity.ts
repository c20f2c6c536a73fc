/** How an IAM user was matched to a Slack user; the first rule that matches wins, in this order. */
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
