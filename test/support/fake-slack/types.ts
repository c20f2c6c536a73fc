/**
 * Shared types of the fake Slack Web API server (test support only).
 */

/** Parsed request arguments: strings from form / query bodies, anything from JSON bodies. */
export type Params = Record<string, unknown>;

/** What a method handler answers: Slack's JSON body. `ok` decides success. */
export type SlackBody = { ok: boolean; error?: string } & Record<string, unknown>;

export type Tier = 1 | 2 | 3 | 4;

/**
 * A token-bucket rule: `limit` requests per `windowMs` on average, with up to
 * `burst` (default: `limit`) requests allowed back to back.
 */
export interface RateRule {
  limit: number;
  windowMs: number;
  burst?: number;
}

export interface RateLimitOptions {
  /** Per-method-per-token rules by Slack tier. Defaults: 1, 20, 50, 100 per minute. */
  tiers?: Partial<Record<Tier, RateRule>>;
  /** chat.postMessage per channel. Default: 1 per second, burst 3. */
  postMessagePerChannel?: RateRule;
  /**
   * chat.postMessage across the whole workspace (per token). Default 300 per minute (Slack does not publish the
   * number).
   */
  postMessageWorkspace?: RateRule;
  /** Override the tier of individual methods, e.g. `{ 'users.info': 2 }`. */
  methodTiers?: Record<string, Tier>;
}

export type TokenState = 'active' | 'revoked' | 'inactive';

export interface FakeToken {
  token: string;
  /** 'app' tokens (xapp-) may only open Socket Mode connections. */
  kind: 'bot' | 'user' | 'app';
  /** The user the token acts as (the bot user for bot tokens). */
  userId: string;
  state: TokenState;
  /** `undefined` = every scope granted. Otherwise methods check their scope (missing_scope). */
  scopes?: string[];
}

export interface FakeUserProfile {
  email?: string;
  real_name: string;
  real_name_normalized: string;
  display_name: string;
  display_name_normalized: string;
  first_name?: string;
  last_name?: string;
  title: string;
  image_72: string;
  bot_id?: string;
  team: string;
}

/** A user as Slack's user object (users.info / users.list members). Live object: edits are seen by the server. */
export interface FakeUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  color: string;
  tz: string;
  tz_label: string;
  tz_offset: number;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  updated: number;
  profile: FakeUserProfile;
}

export interface NewUser {
  id?: string;
  name?: string;
  real_name?: string;
  display_name?: string;
  /** Shorthand for profile.email. */
  email?: string;
  tz?: string;
  /** Seconds east of UTC; computed from `tz` (at the current date) when omitted. */
  tz_offset?: number;
  tz_label?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  title?: string;
}

export type ChannelKind = 'channel' | 'im' | 'mpim';

export interface FakeChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  is_private: boolean;
  is_archived: boolean;
  /** Whether the bot user is a member (may post). */
  botIsMember: boolean;
  /** Human members; `undefined` means "everybody" (used by chat.postEphemeral's user_not_in_channel). */
  members?: string[];
  /** For IMs: the other user. */
  user?: string;
  created: number;
}

export interface NewChannel {
  id?: string;
  name: string;
  /** Default true. */
  botIsMember?: boolean;
  /** Default false. */
  archived?: boolean;
  is_private?: boolean;
  members?: string[];
}

export interface FakeUserGroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

export interface NewUserGroup {
  id?: string;
  handle: string;
  name?: string;
  users?: string[];
}

export interface MessageVersion {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** Clock time (ms) this version was written. */
  at: number;
}

/** A message as stored and as returned by `messages()` / `dmsTo()`. */
export interface FakeMessage {
  channel: string;
  channelKind: ChannelKind;
  /** For messages in an IM: the human on the other side. */
  dmUser?: string;
  /** What the caller passed as `channel` (e.g. a U... id, a #name). */
  requestedChannel: string;
  /** Author user id (the bot user for bot posts). */
  user: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** File ids shared with this message (files.completeUploadExternal). */
  files?: string[];
  /**
   * chat.postMessage `metadata` ({ event_type, event_payload }); conversations.history returns it with
   * include_all_metadata.
   */
  metadata?: unknown;
  /** True once chat.update changed it. */
  edited: boolean;
  /** Every version, oldest first; the last one is the current content. */
  versions: MessageVersion[];
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
}

export interface FakeFile {
  id: string;
  filename: string;
  title: string;
  /** Length announced to files.getUploadURLExternal. */
  length: number;
  alt_text?: string;
  snippet_type?: string;
  /** Bytes received at the upload URL (undefined until uploaded). */
  bytes?: Buffer;
  uploadKey: string;
  completed: boolean;
  /** Channel it was shared into by files.completeUploadExternal (undefined = private). */
  channel?: string;
  initial_comment?: string;
  thread_ts?: string;
  /** ts of the message that shared the file. */
  shareTs?: string;
  created: number;
}

export interface FakeHomeView {
  id: string;
  user_id: string;
  view: Record<string, unknown>;
  hash: string;
  publishedAt: number;
}

export interface RecordedCall {
  seq: number;
  method: string;
  httpMethod: string;
  /** Parsed arguments; the `token` argument removed. */
  params: Params;
  /** First 5 characters of the token used ("xoxb-"), or undefined when none. */
  tokenPrefix?: string;
  /** Clock time (ms, from the injectable clock). */
  time: number;
  status: number;
  ok: boolean;
  error?: string;
  /** For 429s: the precise wait, ms. */
  retryAfterMs?: number;
}

export interface StartOptions {
  /** Bot token that is valid from the start. Default "xoxb-fake-bot-token". */
  botToken?: string;
  /** Id of the bot user (added to the users list, is_bot). Default "UBOT000001". */
  botUserId?: string;
  botName?: string;
  teamId?: string;
  teamName?: string;
  /** Include USLACKBOT in users.list (as real Slack does). Default true. */
  includeSlackbot?: boolean;
  /** Scopes granted to the default bot token; undefined = all. */
  botScopes?: string[];
  /** false disables rate limiting entirely; an object tunes it. Default: Slack's real numbers. */
  rateLimits?: false | RateLimitOptions;
  /** Injectable clock in ms (rate limiting, ts values, recorded times). Default Date.now. */
  now?: () => number;
  /**
   * What chat.postMessage to a deactivated user's id does. Real Slack delivers into
   * the DM (python-slack-sdk#1156): 'deliver' (default). 'user_disabled' fails instead.
   */
  deletedUserDm?: 'deliver' | 'user_disabled';
  /** When false, DMs from the app fail with messages_tab_disabled. Default true. */
  messagesTabEnabled?: boolean;
  /** Max serialized JSON length of `blocks` before msg_blocks_too_long. Default 13200. */
  maxBlocksJsonChars?: number;
  /** Log each request to stderr. Default false. */
  verbose?: boolean;
}
