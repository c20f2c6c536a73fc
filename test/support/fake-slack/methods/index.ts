import { appMethods } from './apps.js';
import { authMethods } from './auth.js';
import { chatMethods } from './chat.js';
import type { MethodSpec } from './context.js';
import { conversationMethods } from './conversations.js';
import { fileMethods } from './files.js';
import { usergroupMethods } from './usergroups.js';
import { userMethods } from './users.js';
import { viewMethods } from './views.js';

/** Every Web API method the fake answers; anything else is unknown_method. */
export const METHODS: ReadonlyMap<string, MethodSpec> = new Map(
  Object.entries({
    ...authMethods,
    ...appMethods,
    ...userMethods,
    ...conversationMethods,
    ...chatMethods,
    ...viewMethods,
    ...usergroupMethods,
    ...fileMethods,
  }),
);

export type { MethodSpec, MethodContext, BehaviourOptions } from './context.js';
