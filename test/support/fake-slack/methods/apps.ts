import { SOCKET_PATH } from '../socket-mode.js';
import { type MethodSpec, fail, ok } from './context.js';

export const appMethods: Record<string, MethodSpec> = {
  /** Socket Mode: a one-time WebSocket URL; only app-level (xapp-) tokens may ask. */
  'apps.connections.open': {
    tier: 1,
    scopes: ['connections:write'],
    handler: ({ ws, token, baseUrl }) => {
      if (token.kind !== 'app') return fail('not_allowed_token_type');
      const ticket = ws.randomKey();
      ws.socketTickets.add(ticket);
      return ok({ url: `${baseUrl.replace(/^http/, 'ws')}${SOCKET_PATH}?ticket=${ticket}` });
    },
  },
};
