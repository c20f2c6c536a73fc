import { randomBytes } from 'node:crypto';

export const TEAM = 'T0000000001';
export const APP_ID = 'AFAKEAPP01';

let seq = 0;
export function triggerId(): string {
  seq += 1;
  return `${Date.now()}.${seq}.${randomBytes(4).toString('hex')}`;
}

/** A slash command as Slack sends it (form fields). */
export function slashCommand(
  text: string,
  userId: string,
  responseUrl: string,
  over: Record<string, string> = {},
): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM,
    team_domain: 'fake',
    channel_id: 'C0GENERAL01',
    channel_name: 'general',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: '/mfa-check',
    text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId(),
    ...over,
  };
}

export interface ButtonPress {
  userId: string;
  actionId: string;
  value: string;
  responseUrl: string;
  /** The message the button is on. */
  channelId: string;
  messageTs: string;
  blockId?: string;
  ephemeral?: boolean;
}

/** block_actions, as Slack sends it: a form with one `payload` field holding JSON. */
export function blockActions(p: ButtonPress): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: p.userId, username: p.userId.toLowerCase(), name: p.userId.toLowerCase(), team_id: TEAM },
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: p.messageTs,
      channel_id: p.channelId,
      is_ephemeral: p.ephemeral ?? false,
    },
    trigger_id: triggerId(),
    team: { id: TEAM, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: p.channelId, name: 'directmessage' },
    message: { type: 'message', ts: p.messageTs, text: 'nudge' },
    state: { values: {} },
    response_url: p.responseUrl,
    actions: [
      {
        action_id: p.actionId,
        block_id: p.blockId ?? 'mfa_nudge_actions',
        text: { type: 'plain_text', text: 'button', emoji: true },
        value: p.value,
        type: 'button',
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

export function appHomeOpened(
  userId: string,
  eventId = `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
  tab: 'home' | 'messages' = 'home',
): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM,
    api_app_id: APP_ID,
    event: { type: 'app_home_opened', user: userId, channel: 'D0HOME00001', tab, event_ts: `${Date.now() / 1000}` },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: TEAM, user_id: 'UBOT000001', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

/** view_submission of a modal, as Slack sends it: the values by block_id and action_id. */
export function viewSubmission(p: {
  userId: string;
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, Record<string, unknown>>>;
}): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: TEAM, domain: 'fake' },
    user: { id: p.userId, username: p.userId.toLowerCase(), name: p.userId.toLowerCase(), team_id: TEAM },
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    trigger_id: triggerId(),
    view: {
      id: 'V0MODAL0001',
      team_id: TEAM,
      type: 'modal',
      callback_id: p.callbackId,
      private_metadata: p.privateMetadata,
      state: { values: p.values },
      hash: '1.abc',
      app_id: APP_ID,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
