import { checkMessageContent } from '../block-kit.js';
import { json, nonEmpty, str } from '../params.js';
import type { FakeMessage } from '../types.js';
import { type MethodSpec, fail, failWithMessages, ok } from './context.js';
import { looksLikeUserId, postTarget, writable } from './targets.js';

/** Slack's answer to a message that breaks a text or Block Kit rule. */
function contentFailure(content: { error: string; messages?: string[] }) {
  return content.messages !== undefined ? failWithMessages(content.error, content.messages) : fail(content.error);
}

function messageObject(m: FakeMessage, teamId: string, botId: string): Record<string, unknown> {
  return {
    type: 'message',
    user: m.user,
    bot_id: botId,
    team: teamId,
    ts: m.ts,
    text: m.text,
    ...(m.thread_ts !== undefined ? { thread_ts: m.thread_ts } : {}),
    ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
    ...(m.attachments !== undefined ? { attachments: m.attachments } : {}),
  };
}

export const chatMethods: Record<string, MethodSpec> = {
  /**
   * channel may be a C.../G... id or name (bot must be a member unless the token has
   * chat:write.public), a D... id, or a U... id (→ the app's DM with that user).
   */
  'chat.postMessage': {
    tier: 'postMessage',
    scopes: ['chat:write'],
    handler: (ctx) => {
      const { params, ws } = ctx;
      const requested = nonEmpty(params, 'channel');
      const target = postTarget(ctx, requested);
      if (!target.ok) return fail(target.error);
      const content = checkMessageContent({
        text: str(params, 'text'),
        blocks: json(params, 'blocks'),
        attachments: json(params, 'attachments'),
        maxBlocksJsonChars: ctx.behaviour.maxBlocksJsonChars,
      });
      if (!content.ok) return contentFailure(content);
      const threadTs = nonEmpty(params, 'thread_ts');
      const metadata = json(params, 'metadata');
      if (metadata.present && !metadata.valid) return fail('invalid_metadata_format');
      const msg = ws.addMessage(target.channel, {
        ...(metadata.present && metadata.valid ? { metadata: metadata.value } : {}),
        user: ctx.token.userId,
        requestedChannel: requested ?? '',
        text: content.text,
        ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
        ...(content.attachments !== undefined ? { attachments: content.attachments } : {}),
        ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      });
      return ok({ channel: msg.channel, ts: msg.ts, message: messageObject(msg, ws.teamId, ws.botId) });
    },
  },

  /**
   * Needs the conversation id (a DM's D... id, not the user id) and the ts. Omitted
   * blocks/attachments keep the previous ones, an empty array removes them (as Slack).
   */
  'chat.update': {
    tier: 3,
    scopes: ['chat:write'],
    handler: (ctx) => {
      const { params, ws } = ctx;
      const channelRef = nonEmpty(params, 'channel');
      if (channelRef === undefined || looksLikeUserId(channelRef)) return fail('channel_not_found');
      const ch = ws.findChannel(channelRef);
      if (ch === undefined) return fail('channel_not_found');
      const ts = nonEmpty(params, 'ts');
      const msg = ts === undefined ? undefined : ws.findMessage(ch.id, ts);
      if (msg === undefined) return fail('message_not_found');
      if (msg.user !== ctx.token.userId) return fail('cant_update_message');
      if (ch.is_archived) return fail('is_inactive');

      const blocksArg = json(params, 'blocks');
      const attachmentsArg = json(params, 'attachments');
      const textArg = str(params, 'text');
      const content = checkMessageContent({
        text: textArg,
        blocks:
          blocksArg.present || msg.blocks === undefined ? blocksArg : { present: true, valid: true, value: msg.blocks },
        attachments:
          attachmentsArg.present || msg.attachments === undefined
            ? attachmentsArg
            : { present: true, valid: true, value: msg.attachments },
        maxBlocksJsonChars: ctx.behaviour.maxBlocksJsonChars,
      });
      if (!content.ok) return contentFailure(content);
      msg.text = content.text;
      if (content.blocks !== undefined) msg.blocks = content.blocks;
      else delete msg.blocks;
      if (content.attachments !== undefined) msg.attachments = content.attachments;
      else delete msg.attachments;
      msg.edited = true;
      msg.versions.push({
        text: msg.text,
        ...(msg.blocks !== undefined ? { blocks: msg.blocks } : {}),
        ...(msg.attachments !== undefined ? { attachments: msg.attachments } : {}),
        at: ctx.now(),
      });
      return ok({
        channel: ch.id,
        ts: msg.ts,
        text: msg.text,
        message: { text: msg.text, user: msg.user, ...(msg.blocks !== undefined ? { blocks: msg.blocks } : {}) },
      });
    },
  },

  'chat.postEphemeral': {
    tier: 4,
    scopes: ['chat:write'],
    handler: (ctx) => {
      const { params, ws } = ctx;
      const channelRef = nonEmpty(params, 'channel');
      const ch = channelRef === undefined || looksLikeUserId(channelRef) ? undefined : ws.findChannel(channelRef);
      if (ch === undefined) return fail('channel_not_found');
      const target = writable(ctx, ch);
      if (!target.ok) return fail(target.error);
      const userId = nonEmpty(params, 'user');
      const user = userId === undefined ? undefined : ws.users.get(userId);
      if (user === undefined || userId === undefined || user.deleted || !ws.isUserInChannel(ch, userId)) {
        return fail('user_not_in_channel');
      }
      const content = checkMessageContent({
        text: str(params, 'text'),
        blocks: json(params, 'blocks'),
        attachments: json(params, 'attachments'),
        maxBlocksJsonChars: ctx.behaviour.maxBlocksJsonChars,
      });
      if (!content.ok) return contentFailure(content);
      const threadTs = nonEmpty(params, 'thread_ts');
      const messageTs = ws.nextTs();
      ws.ephemerals.push({
        channel: ch.id,
        user: userId,
        message_ts: messageTs,
        ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
        text: content.text,
        ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
      });
      return ok({ message_ts: messageTs });
    },
  },
};
