import { type MethodSpec, ok } from './context.js';

export const authMethods: Record<string, MethodSpec> = {
  'auth.test': {
    tier: 4,
    handler: ({ ws, token }) => {
      const user = ws.users.get(token.userId);
      return ok({
        url: `https://${ws.teamName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.slack.com/`,
        team: ws.teamName,
        user: user?.name ?? token.userId,
        team_id: ws.teamId,
        user_id: token.userId,
        ...(token.kind === 'bot' ? { bot_id: ws.botId } : {}),
        is_enterprise_install: false,
      });
    },
  },
};
