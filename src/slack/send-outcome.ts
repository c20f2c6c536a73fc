/**
 * After a failed send: did Slack refuse it (so it certainly was not posted), or is the outcome unknown?
 * A refusal is an answer from Slack: `{ ok: false }` (a platform error) or a 429 that was never retried
 * to success. A timeout, a dropped connection or an HTTP 5xx may have reached Slack and been posted.
 */
export function refusedBySlack(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === 'slack_webapi_platform_error' || code === 'slack_webapi_rate_limited_error';
}

/** The metadata every message the bot sends carries, so a claim can be matched to what Slack holds. */
export const DELIVERY_EVENT_TYPE = 'mfa_bot_delivery';

export function deliveryMetadata(claimId: string): { event_type: string; event_payload: { claim: string } } {
  return { event_type: DELIVERY_EVENT_TYPE, event_payload: { claim: claimId } };
}
