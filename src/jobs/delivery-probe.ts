import type { SlackApi } from '../slack/api.js';
import { DELIVERY_EVENT_TYPE } from '../slack/send-outcome.js';

export type ProbeResult = { found: true; channel: string; ts: string } | { found: false } | { unknown: string };

/** Asks Slack whether a claimed message was in fact posted. */
export interface DeliveryProbe {
  find(recipient: string, claimId: string, claimedAt: Date): Promise<ProbeResult>;
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { claim?: unknown } };
}

const PAGES = 5;

/**
 * Looks for the claim ID in the metadata of the messages posted since the claim: in the app's DM with a
 * person (conversations.open, then conversations.history) or in a channel. Reading history takes the
 * im:history (DMs) and channels:history / groups:history (channels) scopes; without them, or on any
 * other error, the answer is "unknown" and the caller must not assume either way.
 */
export class SlackHistoryProbe implements DeliveryProbe {
  constructor(private readonly slack: SlackApi) {}

  async find(recipient: string, claimId: string, claimedAt: Date): Promise<ProbeResult> {
    try {
      let channel = recipient;
      if (/^[UW]/.test(recipient)) {
        const opened = await this.slack.conversationsOpen(recipient);
        if (!opened.channel?.id) return { unknown: 'conversations.open returned no channel' };
        channel = opened.channel.id;
      }
      // A minute of slack for clocks that disagree between this host and Slack.
      const oldest = ((claimedAt.getTime() - 60_000) / 1000).toFixed(6);
      let cursor: string | undefined;
      for (let page = 0; page < PAGES; page++) {
        const res = await this.slack.conversationsHistory({
          channel,
          oldest,
          limit: 200,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        });
        for (const m of (res.messages ?? []) as HistoryMessage[]) {
          if (m.metadata?.event_type === DELIVERY_EVENT_TYPE && m.metadata.event_payload?.claim === claimId && m.ts)
            return { found: true, channel, ts: m.ts };
        }
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!res.has_more || !cursor) return { found: false };
      }
      return { unknown: `more than ${PAGES} pages of history to search` };
    } catch (err) {
      const e = err as { data?: { error?: string }; message?: string };
      return { unknown: e.data?.error ?? e.message ?? String(err) };
    }
  }
}
