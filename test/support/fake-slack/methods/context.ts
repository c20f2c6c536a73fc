import type { FakeToken, FakeUser, Params, SlackBody, Tier } from '../types.js';
import type { Workspace } from '../workspace.js';

export interface BehaviourOptions {
  deletedUserDm: 'deliver' | 'user_disabled';
  messagesTabEnabled: boolean;
  maxBlocksJsonChars: number;
}

export interface MethodContext {
  params: Params;
  ws: Workspace;
  token: FakeToken;
  /** "http://127.0.0.1:PORT" (no trailing slash). */
  baseUrl: string;
  behaviour: BehaviourOptions;
  now: () => number;
}

export type Handler = (ctx: MethodContext) => SlackBody;

export interface MethodSpec {
  /** Slack rate tier, or 'postMessage' for chat.postMessage's per-channel special limit. */
  tier: Tier | 'postMessage';
  /** Any one of these scopes suffices (checked only for tokens created with explicit scopes). */
  scopes?: string[];
  handler: Handler;
}

export function ok(fields: Record<string, unknown> = {}): SlackBody {
  return { ok: true, ...fields };
}

export function fail(error: string, fields: Record<string, unknown> = {}): SlackBody {
  return { ok: false, error, ...fields };
}

/** ok:false with Slack's response_metadata.messages (what the WebClient logs as [ERROR]/[WARN]). */
export function failWithMessages(error: string, messages: string[]): SlackBody {
  return { ok: false, error, response_metadata: { messages } };
}

export function hasScope(token: FakeToken, scope: string): boolean {
  return token.scopes === undefined || token.scopes.includes(scope);
}

/** Slack's user object as the given token may see it (email needs users:read.email). */
export function serializeUser(u: FakeUser, token: FakeToken): Record<string, unknown> {
  const { email, ...profile } = u.profile;
  const showEmail = email !== undefined && hasScope(token, 'users:read.email');
  return {
    ...u,
    profile: showEmail ? { ...profile, email } : profile,
  };
}
