import { bool, int, nonEmpty, str } from '../params.js';
import type { FakeChannel } from '../types.js';
import type { Workspace } from '../workspace.js';
import { type MethodSpec, fail, hasScope, ok } from './context.js';
import { paginate } from './pagination.js';
import { dmWithUser } from './targets.js';

function serializeChannel(ch: FakeChannel, ws: Workspace): Record<string, unknown> {
  if (ch.kind === 'im') {
    return {
      id: ch.id,
      created: ch.created,
      is_im: true,
      is_org_shared: false,
      user: ch.user,
      is_open: true,
      priority: 0,
    };
  }
  return {
    id: ch.id,
    name: ch.name,
    is_channel: !ch.is_private,
    is_group: ch.is_private,
    is_im: false,
    is_mpim: ch.kind === 'mpim',
    is_private: ch.is_private,
    is_archived: ch.is_archived,
    is_general: ch.name === 'general',
    is_member: ch.botIsMember,
    created: ch.created,
    context_team_id: ws.teamId,
    num_members: ch.members?.length ?? ws.users.size,
  };
}

export const conversationMethods: Record<string, MethodSpec> = {
  /** users=U... → the app's DM with that user (same D... id every time). */
  'conversations.open': {
    tier: 3,
    scopes: ['im:write'],
    handler: (ctx) => {
      const { params, ws } = ctx;
      const channelArg = nonEmpty(params, 'channel');
      const usersArg = nonEmpty(params, 'users');
      if (usersArg === undefined) {
        if (channelArg === undefined) return fail('users_list_not_supplied');
        const ch = ws.channels.get(channelArg);
        if (ch === undefined || ch.kind !== 'im') return fail('channel_not_found');
        return ok({
          no_op: true,
          already_open: true,
          channel: bool(params, 'return_im') ? serializeChannel(ch, ws) : { id: ch.id },
        });
      }
      const users = usersArg
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u !== '');
      if (users.length > 8) return fail('too_many_users');
      if (users.length !== 1) {
        return fail('fake_slack_unsupported', { detail: 'multi-person DMs are not modelled by the fake' });
      }
      const userId = users[0] ?? '';
      const already = ws.imFor(userId) !== undefined;
      const target = dmWithUser(ctx, userId, false);
      if (!target.ok) return fail(target.error);
      return ok({
        ...(already ? { no_op: true, already_open: true } : {}),
        channel: bool(params, 'return_im') ? serializeChannel(target.channel, ws) : { id: target.channel.id },
      });
    },
  },

  /**
   * Newest first, between `oldest` and `latest` (exclusive unless `inclusive`), `limit` per page (default
   * 100) with a cursor. The token needs the history scope of the channel's kind (im:history for DMs);
   * `metadata` is only returned with include_all_metadata, as Slack does.
   */
  'conversations.history': {
    tier: 3,
    scopes: ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
    handler: ({ params, ws, token }) => {
      const ch = ws.channels.get(nonEmpty(params, 'channel') ?? '');
      if (ch === undefined) return fail('channel_not_found');
      const scope =
        ch.kind === 'im'
          ? 'im:history'
          : ch.kind === 'mpim'
            ? 'mpim:history'
            : ch.is_private
              ? 'groups:history'
              : 'channels:history';
      if (!hasScope(token, scope)) return fail('missing_scope', { needed: scope });
      if (ch.kind !== 'im' && !ch.botIsMember) return fail('not_in_channel');
      const oldest = Number(str(params, 'oldest') ?? '0');
      const latest = Number(str(params, 'latest') ?? 'Infinity');
      const inclusive = bool(params, 'inclusive');
      const limitArg = int(params, 'limit');
      if (limitArg !== undefined && (Number.isNaN(limitArg) || limitArg < 0)) return fail('invalid_limit');
      const limit = Math.min(limitArg === undefined || limitArg === 0 ? 100 : limitArg, 999);
      const inRange = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
      const all = ws.messages
        .filter((m) => m.channel === ch.id && m.thread_ts === undefined && inRange(Number(m.ts)))
        .reverse();
      const cursor = str(params, 'cursor');
      const start = cursor
        ? Number(
            Buffer.from(cursor, 'base64')
              .toString('utf8')
              .replace(/^offset:/, ''),
          )
        : 0;
      if (!Number.isInteger(start) || start < 0) return fail('invalid_cursor');
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      const withMetadata = bool(params, 'include_all_metadata');
      return ok({
        messages: page.map((m) => ({
          type: 'message',
          user: m.user,
          ts: m.ts,
          text: m.text,
          ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
          ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
        })),
        has_more: more,
        response_metadata: {
          next_cursor: more ? Buffer.from(`offset:${start + limit}`, 'utf8').toString('base64') : '',
        },
      });
    },
  },

  /**
   * One conversation, with `is_member` for the calling bot. The token needs the read scope of the channel's kind
   * (channels:read for a public channel, groups:read for a private one); a private channel the bot is not in
   * is `channel_not_found` for it, as Slack hides it. Inferred, not documented: `missing_scope` naming the
   * kind's scope when the token has only another kind's (as conversations.history does).
   */
  'conversations.info': {
    tier: 3,
    scopes: ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
    handler: ({ params, ws, token }) => {
      const id = nonEmpty(params, 'channel');
      if (id === undefined) return fail('channel_not_found');
      const ch = ws.channels.get(id);
      if (ch === undefined || (ch.is_private && ch.kind !== 'im' && !ch.botIsMember)) return fail('channel_not_found');
      const scope =
        ch.kind === 'im'
          ? 'im:read'
          : ch.kind === 'mpim'
            ? 'mpim:read'
            : ch.is_private
              ? 'groups:read'
              : 'channels:read';
      if (!hasScope(token, scope)) return fail('missing_scope', { needed: scope });
      return ok({ channel: serializeChannel(ch, ws) });
    },
  },

  'conversations.list': {
    tier: 2,
    scopes: ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
    handler: ({ ws, params }) => {
      const types = new Set((str(params, 'types') ?? 'public_channel').split(',').map((t) => t.trim()));
      const excludeArchived = bool(params, 'exclude_archived');
      const all = [...ws.channels.values()].filter((ch) => {
        if (excludeArchived && ch.is_archived) return false;
        if (ch.kind === 'im') return types.has('im');
        if (ch.kind === 'mpim') return types.has('mpim');
        return types.has(ch.is_private ? 'private_channel' : 'public_channel');
      });
      const page = paginate(all, params, 'channel', 100);
      if (!page.ok) return fail(page.error);
      return ok({
        channels: page.items.map((ch) => serializeChannel(ch, ws)),
        response_metadata: { next_cursor: page.nextCursor },
      });
    },
  },
};
