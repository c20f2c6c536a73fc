/** Slack cannot be used for this run: no token, a refused token, no digest channel, no member list. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
}
