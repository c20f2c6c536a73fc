/** Slack cannot be configured from the settings given (no token, a malformed one, a bad API URL). */
export class SlackConfigError extends Error {
  override name = 'SlackConfigError';
}
