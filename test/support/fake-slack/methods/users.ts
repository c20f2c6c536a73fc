import { nonEmpty } from '../params.js';
import { type MethodSpec, fail, ok, serializeUser } from './context.js';
import { paginate } from './pagination.js';

export const userMethods: Record<string, MethodSpec> = {
  /** Every user, deleted ones and bots included, as Slack lists them. */
  'users.list': {
    tier: 2,
    scopes: ['users:read'],
    handler: ({ ws, params, token, now }) => {
      const page = paginate([...ws.users.values()], params, 'user', 0);
      if (!page.ok) return fail(page.error);
      return ok({
        members: page.items.map((u) => serializeUser(u, token)),
        cache_ts: Math.floor(now() / 1000),
        response_metadata: { next_cursor: page.nextCursor },
      });
    },
  },

  'users.info': {
    tier: 4,
    scopes: ['users:read'],
    handler: ({ ws, params, token }) => {
      const id = nonEmpty(params, 'user');
      const u = id === undefined ? undefined : ws.users.get(id);
      if (u === undefined) return fail('user_not_found');
      return ok({ user: serializeUser(u, token) });
    },
  },

  /** users_not_found for unknown addresses and for deactivated users (Slack's documented behaviour). */
  'users.lookupByEmail': {
    tier: 3,
    scopes: ['users:read.email'],
    handler: ({ ws, params, token }) => {
      const email = nonEmpty(params, 'email');
      if (email === undefined)
        return fail('invalid_arguments', {
          response_metadata: { messages: ['[ERROR] missing required field: email'] },
        });
      const u = ws.findUserByEmail(email);
      if (u === undefined || u.deleted) return fail('users_not_found');
      return ok({ user: serializeUser(u, token) });
    },
  },
};
