/**
 * The bot scopes each Slack Web API method the code calls needs. manifest.yml must ask for exactly the
 * union of these (test/manifest.test.ts checks it), so the app asks for nothing it does not use.
 */
export const METHOD_SCOPES: Record<string, string | readonly string[]> = {
  'auth.test': '',
  'users.list': 'users:read',
  'users.info': 'users:read',
  'users.lookupByEmail': 'users:read.email',
  'usergroups.users.list': 'usergroups:read',
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'views.publish': '',
  // `mfa-bot doctor`: whether the bot is in the digest and security channels. Slack asks channels:read for a
  // public channel and groups:read for a private one; both give a channel's details, never its messages.
  'conversations.info': ['channels:read', 'groups:read'],
};

/** Scopes that no Web API call needs but a feature does. */
export const FEATURE_SCOPES: Record<string, string> = {
  '/mfa-check': 'commands',
};

export function requiredBotScopes(): string[] {
  const scopes = [...Object.values(METHOD_SCOPES).flat(), ...Object.values(FEATURE_SCOPES)];
  return [...new Set(scopes.filter(Boolean))].sort();
}
