import { nonEmpty } from '../params.js';
import { type MethodSpec, fail, ok } from './context.js';

export const usergroupMethods: Record<string, MethodSpec> = {
  'usergroups.users.list': {
    tier: 2,
    scopes: ['usergroups:read'],
    handler: ({ ws, params }) => {
      const id = nonEmpty(params, 'usergroup');
      const group = id === undefined ? undefined : ws.userGroups.get(id);
      if (group === undefined) return fail('no_such_subteam');
      return ok({ users: [...group.users] });
    },
  },
};
