import type { FakeChannel } from '../types.js';
import type { MethodContext } from './context.js';

export type Target = { ok: true; channel: FakeChannel } | { ok: false; error: string };

const USER_ID = /^[UW][A-Z0-9]+$/;

export function looksLikeUserId(ref: string): boolean {
  return USER_ID.test(ref);
}

/**
 * The DM with a user, for conversations.open (`forPost` false) or for chat.postMessage
 * with a user id as channel (`forPost` true). conversations.open refuses deactivated users
 * with user_disabled; chat.postMessage delivers to them like real Slack unless
 * `deletedUserDm: 'user_disabled'`.
 */
export function dmWithUser(ctx: MethodContext, userId: string, forPost: boolean): Target {
  const u = ctx.ws.users.get(userId);
  if (u === undefined) return { ok: false, error: forPost ? 'channel_not_found' : 'user_not_found' };
  if (u.deleted && (!forPost || ctx.behaviour.deletedUserDm === 'user_disabled'))
    return { ok: false, error: 'user_disabled' };
  if (u.is_bot) return { ok: false, error: 'cannot_dm_bot' };
  if (forPost && !ctx.behaviour.messagesTabEnabled) return { ok: false, error: 'messages_tab_disabled' };
  return { ok: true, channel: ctx.ws.openIm(userId).channel };
}

/**
 * Where a message posted by the bot with `channel=ref` lands: a channel id or name, an
 * existing DM id, or a user id (→ that user's DM with the app).
 */
export function postTarget(ctx: MethodContext, ref: string | undefined): Target {
  if (ref === undefined) return { ok: false, error: 'channel_not_found' };
  if (looksLikeUserId(ref)) return dmWithUser(ctx, ref, true);
  const ch = ctx.ws.findChannel(ref);
  if (ch === undefined) return { ok: false, error: 'channel_not_found' };
  return writable(ctx, ch);
}

/** Can the bot write into this conversation? */
export function writable(ctx: MethodContext, ch: FakeChannel): Target {
  if (ch.kind === 'im') {
    if (!ctx.behaviour.messagesTabEnabled) return { ok: false, error: 'messages_tab_disabled' };
    return { ok: true, channel: ch };
  }
  if (ch.is_archived) return { ok: false, error: 'is_archived' };
  // chat:write.public lets an app post in public channels it has not joined.
  const publicWrite = !ch.is_private && ctx.token.scopes?.includes('chat:write.public') === true;
  if (!ch.botIsMember && !publicWrite) return { ok: false, error: 'not_in_channel' };
  return { ok: true, channel: ch };
}

/** Rate-limit key of chat.postMessage's per-channel bucket. */
export function channelRateKey(ctx: Pick<MethodContext, 'ws'>, ref: string | undefined): string {
  if (ref === undefined) return '(none)';
  if (looksLikeUserId(ref)) return ctx.ws.imFor(ref)?.id ?? `im:${ref}`;
  return ctx.ws.findChannel(ref)?.id ?? ref;
}
