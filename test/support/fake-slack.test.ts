import {
  ErrorCode,
  type Logger,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BLOCK_LIMITS,
  type FakeSlack,
  PRECISE_RETRY_HEADER,
  type StartOptions,
  startFakeSlack,
} from './fake-slack/index.js';

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** No retries unless a test asks: a failure surfaces at once. */
function client(fake: FakeSlack, token: string = fake.botToken, opts: WebClientOptions = {}): WebClient {
  return new WebClient(token, { slackApiUrl: fake.url, logger: silent, retryConfig: { retries: 0 }, ...opts });
}

/** A client that sends no token at all. */
function anonymousClient(fake: FakeSlack): WebClient {
  return new WebClient(undefined, { slackApiUrl: fake.url, logger: silent, retryConfig: { retries: 0 } });
}

/** The WebAPIPlatformError a call rejects with (fails the test if it resolves or fails otherwise). */
async function platformError(p: Promise<unknown>): Promise<WebAPIPlatformError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof WebAPIPlatformError)) throw new Error(`expected a platform error, got ${String(e)}`);
  return e;
}

async function slackErrorOf(p: Promise<unknown>): Promise<string> {
  return (await platformError(p)).data.error;
}

function section(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text }, ...extra };
}

function button(text: string): Record<string, unknown> {
  return { type: 'button', text: { type: 'plain_text', text }, action_id: `a${Math.random().toString(36).slice(2)}` };
}

function plainText(text: string): Record<string, unknown> {
  return { type: 'plain_text', text };
}

/** Raw HTTP call, for what the WebClient cannot express (token placement, body type, headers). */
async function raw(
  fake: FakeSlack,
  method: string,
  init: RequestInit,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${fake.url}${method}`, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('fake Slack Web API', () => {
  let fake: FakeSlack;
  let options: StartOptions = { rateLimits: false };

  beforeEach(async () => {
    fake = await startFakeSlack(options);
  });
  afterEach(async () => {
    await fake.stop();
    options = { rateLimits: false };
  });

  describe('granted scopes, as Slack sends them in x-oauth-scopes', () => {
    it('names the scopes of a token given explicit scopes, and what the method accepts', async () => {
      fake.addToken('xoxb-narrow', { scopes: ['chat:write', 'users:read'] });
      const res = await client(fake, 'xoxb-narrow').auth.test();
      expect(res.response_metadata?.scopes).toEqual(['chat:write', 'users:read']);
      const list = await client(fake, 'xoxb-narrow').users.list({});
      expect(list.response_metadata?.acceptedScopes).toEqual(['users:read']);
    });

    it('lists every bot scope the fake knows for a token with all; an app token has connections:write', async () => {
      const res = await client(fake).auth.test();
      expect(res.response_metadata?.scopes).toEqual(
        expect.arrayContaining(['channels:read', 'chat:write', 'commands', 'groups:read', 'users:read.email']),
      );
      expect(res.response_metadata?.scopes).not.toContain('connections:write');
      const app = fake.addAppToken();
      const open = await client(fake, app.token).apps.connections.open({});
      expect(open.response_metadata?.scopes).toEqual(['connections:write']);
    });
  });

  describe('conversations.info', () => {
    it('says whether the bot is a member of a public channel, and hides a private one it is not in', async () => {
      const inside = fake.addChannel({ name: 'security' });
      const outside = fake.addChannel({ name: 'general-chat', botIsMember: false });
      const secret = fake.addChannel({ name: 'secret', is_private: true, botIsMember: false });
      const c = client(fake);
      expect((await c.conversations.info({ channel: inside.id })).channel?.is_member).toBe(true);
      expect((await c.conversations.info({ channel: outside.id })).channel?.is_member).toBe(false);
      expect((await platformError(c.conversations.info({ channel: secret.id }))).data.error).toBe('channel_not_found');
      expect((await platformError(c.conversations.info({ channel: 'C0NOPE00000' }))).data.error).toBe(
        'channel_not_found',
      );
    });

    it("needs the read scope of the channel's kind", async () => {
      fake.addToken('xoxb-public-only', { scopes: ['channels:read'] });
      const team = fake.addChannel({ name: 'team', is_private: true });
      const pub = fake.addChannel({ name: 'pub' });
      const c = client(fake, 'xoxb-public-only');
      expect((await c.conversations.info({ channel: pub.id })).ok).toBe(true);
      const refused = await platformError(c.conversations.info({ channel: team.id }));
      expect(refused.data).toMatchObject({ error: 'missing_scope', needed: 'groups:read' });
      fake.addToken('xoxb-no-read', { scopes: ['chat:write'] });
      expect(
        (await platformError(client(fake, 'xoxb-no-read').conversations.info({ channel: pub.id }))).data.error,
      ).toBe('missing_scope');
    });
  });

  describe('auth', () => {
    it('auth.test identifies the bot', async () => {
      const res = await client(fake).auth.test();
      expect(res.user_id).toBe(fake.botUserId);
      expect(res.team_id).toBe(fake.teamId);
      expect(res.bot_id).toMatch(/^B/);
      expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    });

    it('answers not_authed without a token and invalid_auth for an unknown one', async () => {
      expect(await slackErrorOf(anonymousClient(fake).auth.test())).toBe('not_authed');
      expect(fake.calls('auth.test')[0]?.tokenPrefix).toBeUndefined();
      expect(await slackErrorOf(client(fake, 'xoxb-nope').auth.test())).toBe('invalid_auth');
    });

    it('answers token_revoked / account_inactive by token state, and recovers', async () => {
      const c = client(fake);
      fake.setTokenState(fake.botToken, 'revoked');
      expect(await slackErrorOf(c.auth.test())).toBe('token_revoked');
      fake.setTokenState(fake.botToken, 'inactive');
      expect(await slackErrorOf(c.users.list({}))).toBe('account_inactive');
      fake.setTokenState(fake.botToken, 'active');
      await expect(c.auth.test()).resolves.toMatchObject({ ok: true });
    });

    it('takes the token from a form field, but not from a JSON body (as Slack)', async () => {
      const form = await raw(fake, 'auth.test', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: fake.botToken }).toString(),
      });
      expect(form.body).toMatchObject({ ok: true, user_id: fake.botUserId });
      const json = await raw(fake, 'auth.test', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: fake.botToken }),
      });
      expect(json).toMatchObject({ status: 200, body: { ok: false, error: 'not_authed' } });
    });

    it('answers unknown_method with HTTP 200', async () => {
      expect(await slackErrorOf(client(fake).apiCall('nope.nothing'))).toBe('unknown_method');
      expect(fake.calls('nope.nothing')[0]).toMatchObject({ status: 200, error: 'unknown_method' });
    });

    it(
      'answers missing_scope for a token without the method scope, ' + 'and hides emails without users:read.email',
      async () => {
        const u = fake.addUser({ name: 'ann', email: 'ann@example.com' });
        fake.addToken('xoxb-narrow', { scopes: ['users:read'] });
        const c = client(fake, 'xoxb-narrow');
        const err = await platformError(c.users.lookupByEmail({ email: 'ann@example.com' }));
        expect(err.data).toMatchObject({ error: 'missing_scope', needed: 'users:read.email' });
        const info = await c.users.info({ user: u.id });
        expect(info.user?.profile?.email).toBeUndefined();
        const full = await client(fake).users.info({ user: u.id });
        expect(full.user?.profile?.email).toBe('ann@example.com');
      },
    );
  });

  describe('users', () => {
    it('users.list pages with an opaque cursor and includes deleted users, bots and Slackbot', async () => {
      fake.addUsers(23);
      fake.addUser({ name: 'gone', deleted: true });
      fake.addUser({ name: 'robot', is_bot: true });
      const c = client(fake);
      const first = await c.users.list({ limit: 10 });
      expect(first.members).toHaveLength(10);
      const cursor = first.response_metadata?.next_cursor ?? '';
      expect(cursor).not.toBe('');
      expect(cursor).not.toContain('U'); // opaque
      const seen = new Set<string>();
      let pages = 0;
      for await (const page of c.paginate('users.list', { limit: 10 })) {
        pages += 1;
        for (const m of (page as { members?: Array<{ id: string }> }).members ?? []) seen.add(m.id);
      }
      // 25 added + the bot user + USLACKBOT
      expect(seen.size).toBe(27);
      expect(pages).toBe(3);
      expect(seen.has('USLACKBOT')).toBe(true);
      expect(seen.has(fake.botUserId)).toBe(true);
      const all = await c.users.list({});
      expect(all.members).toHaveLength(27);
      expect(all.response_metadata?.next_cursor).toBe('');
      expect(all.members?.find((m) => m.name === 'gone')?.deleted).toBe(true);
      expect(all.members?.find((m) => m.name === 'robot')?.is_bot).toBe(true);
    });

    it('users.list caps limit at 1000 and rejects a forged cursor', async () => {
      fake.addUsers(1005);
      const c = client(fake);
      const page = await c.users.list({ limit: 5000 });
      expect(page.members).toHaveLength(1000);
      const rest = await c.users.list({ limit: 5000, cursor: page.response_metadata?.next_cursor ?? '' });
      expect(rest.members).toHaveLength(1007 - 1000);
      expect(await slackErrorOf(c.users.list({ cursor: 'bogus' }))).toBe('invalid_cursor');
    });

    it('users.lookupByEmail: hit (case-insensitive), miss, deactivated', async () => {
      const ann = fake.addUser({ name: 'ann', email: 'Ann@Example.com', tz: 'Europe/Berlin' });
      const bob = fake.addUser({ name: 'bob', email: 'bob@example.com' });
      fake.deactivateUser(bob.id);
      const c = client(fake);
      const hit = await c.users.lookupByEmail({ email: 'ann@example.com' });
      expect(hit.user?.id).toBe(ann.id);
      expect(await slackErrorOf(c.users.lookupByEmail({ email: 'nobody@example.com' }))).toBe('users_not_found');
      expect(await slackErrorOf(c.users.lookupByEmail({ email: 'bob@example.com' }))).toBe('users_not_found');
    });

    it('users.info returns tz and tz_offset, user_not_found otherwise', async () => {
      const ann = fake.addUser({ name: 'ann', tz: 'Europe/Berlin' });
      const fixed = fake.addUser({ name: 'kim', tz: 'Asia/Seoul' });
      const c = client(fake);
      const info = await c.users.info({ user: ann.id });
      expect(info.user?.tz).toBe('Europe/Berlin');
      expect([3600, 7200]).toContain(info.user?.tz_offset);
      expect((await c.users.info({ user: fixed.id })).user?.tz_offset).toBe(9 * 3600);
      expect(await slackErrorOf(c.users.info({ user: 'U404' }))).toBe('user_not_found');
    });

    it('usergroups.users.list returns members, no_such_subteam otherwise', async () => {
      const a = fake.addUser();
      const b = fake.addUser();
      const g = fake.addUserGroup({ handle: 'security', users: [a.id, b.id] });
      const c = client(fake);
      expect((await c.usergroups.users.list({ usergroup: g.id })).users).toEqual([a.id, b.id]);
      expect(await slackErrorOf(c.usergroups.users.list({ usergroup: 'S404' }))).toBe('no_such_subteam');
    });
  });

  describe('conversations and chat.postMessage', () => {
    it('posts to a channel the bot is in, with unique increasing ts', async () => {
      const ch = fake.addChannel({ name: 'security' });
      const c = client(fake);
      const a = await c.chat.postMessage({ channel: ch.id, text: 'first' });
      const b = await c.chat.postMessage({ channel: '#security', text: 'second', thread_ts: a.ts ?? '' });
      expect(a.channel).toBe(ch.id);
      expect(b.channel).toBe(ch.id);
      expect(a.ts).toMatch(/^\d{10}\.\d{6}$/);
      expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
      const msgs = fake.messages({ channel: ch.id });
      expect(msgs.map((m) => m.text)).toEqual(['first', 'second']);
      expect(msgs[1]?.thread_ts).toBe(a.ts);
      expect(msgs[0]?.user).toBe(fake.botUserId);
    });

    it('posting to a user id lands in the DM; conversations.open returns the same D id every time', async () => {
      const ann = fake.addUser({ name: 'ann' });
      const c = client(fake);
      const posted = await c.chat.postMessage({ channel: ann.id, text: 'please enable MFA' });
      expect(posted.channel).toMatch(/^D/);
      const opened = await c.conversations.open({ users: ann.id });
      const again = await c.conversations.open({ users: ann.id });
      expect(opened.channel?.id).toBe(posted.channel);
      expect(again.channel?.id).toBe(posted.channel);
      await c.chat.postMessage({ channel: posted.channel ?? '', text: 'reminder' });
      expect(fake.dmsTo(ann.id).map((m) => m.text)).toEqual(['please enable MFA', 'reminder']);
      expect(fake.dmChannelOf(ann.id)).toBe(posted.channel);
    });

    it('refuses channels it cannot post in', async () => {
      const outside = fake.addChannel({ name: 'private-ish', botIsMember: false });
      const archived = fake.addChannel({ name: 'old', archived: true });
      const robot = fake.addUser({ name: 'robot', is_bot: true });
      const c = client(fake);
      expect(await slackErrorOf(c.chat.postMessage({ channel: outside.id, text: 'x' }))).toBe('not_in_channel');
      expect(await slackErrorOf(c.chat.postMessage({ channel: archived.id, text: 'x' }))).toBe('is_archived');
      expect(await slackErrorOf(c.chat.postMessage({ channel: 'C404', text: 'x' }))).toBe('channel_not_found');
      expect(await slackErrorOf(c.chat.postMessage({ channel: 'U404', text: 'x' }))).toBe('channel_not_found');
      expect(await slackErrorOf(c.chat.postMessage({ channel: robot.id, text: 'x' }))).toBe('cannot_dm_bot');
      expect(fake.messages()).toHaveLength(0);
    });

    it('chat:write.public lets the bot post in a public channel it has not joined', async () => {
      const outside = fake.addChannel({ name: 'general', botIsMember: false });
      fake.addToken('xoxb-public', { scopes: ['chat:write', 'chat:write.public'] });
      await expect(
        client(fake, 'xoxb-public').chat.postMessage({ channel: outside.id, text: 'hi' }),
      ).resolves.toMatchObject({ ok: true });
    });

    it(
      'deactivated users: conversations.open says user_disabled; ' +
        'postMessage delivers like Slack unless configured',
      async () => {
        const gone = fake.addUser({ name: 'gone', deleted: true });
        const c = client(fake);
        expect(await slackErrorOf(c.conversations.open({ users: gone.id }))).toBe('user_disabled');
        expect(await slackErrorOf(c.conversations.open({ users: 'U404' }))).toBe('user_not_found');
        await c.chat.postMessage({ channel: gone.id, text: 'still delivered' });
        expect(fake.dmsTo(gone.id)).toHaveLength(1);

        const strict = await startFakeSlack({ rateLimits: false, deletedUserDm: 'user_disabled' });
        try {
          const g2 = strict.addUser({ deleted: true });
          expect(await slackErrorOf(client(strict).chat.postMessage({ channel: g2.id, text: 'x' }))).toBe(
            'user_disabled',
          );
        } finally {
          await strict.stop();
        }
      },
    );

    it('conversations.list pages public channels and can skip archived ones', async () => {
      for (let i = 0; i < 5; i += 1) fake.addChannel({ name: `c${i}`, archived: i === 4 });
      fake.addChannel({ name: 'secret', is_private: true });
      const c = client(fake);
      const first = await c.conversations.list({ limit: 3 });
      expect(first.channels?.map((ch) => ch.name)).toEqual(['c0', 'c1', 'c2']);
      const second = await c.conversations.list({ limit: 3, cursor: first.response_metadata?.next_cursor ?? '' });
      expect(second.channels?.map((ch) => ch.name)).toEqual(['c3', 'c4']);
      expect(second.response_metadata?.next_cursor).toBe('');
      const live = await c.conversations.list({ exclude_archived: true, types: 'public_channel,private_channel' });
      expect(live.channels?.map((ch) => ch.name)).toEqual(['c0', 'c1', 'c2', 'c3', 'secret']);
    });

    it('chat.postEphemeral needs the recipient in the channel', async () => {
      const ann = fake.addUser();
      const bob = fake.addUser();
      const ch = fake.addChannel({ name: 'ops', members: [ann.id] });
      const c = client(fake);
      const res = await c.chat.postEphemeral({ channel: ch.id, user: ann.id, text: 'only you' });
      expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
      expect(await slackErrorOf(c.chat.postEphemeral({ channel: ch.id, user: bob.id, text: 'x' }))).toBe(
        'user_not_in_channel',
      );
      expect(fake.ephemerals()).toEqual([expect.objectContaining({ user: ann.id, text: 'only you' })]);
      expect(fake.messages()).toHaveLength(0);
    });

    it('accepts application/json bodies with real arrays', async () => {
      const ch = fake.addChannel({ name: 'json' });
      const res = await raw(fake, 'chat.postMessage', {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${fake.botToken}` },
        body: JSON.stringify({ channel: ch.id, text: 'fallback', blocks: [section('hello')] }),
      });
      expect(res.body).toMatchObject({ ok: true, channel: ch.id });
      expect(fake.messages()[0]?.blocks).toEqual([section('hello')]);
    });

    it('accepts GET with a query string (token in the header)', async () => {
      const u = fake.addUser({ name: 'q' });
      const res = await fetch(`${fake.url}users.info?user=${u.id}`, {
        headers: { authorization: `Bearer ${fake.botToken}` },
      });
      expect(await res.json()).toMatchObject({ ok: true, user: { id: u.id } });
    });
  });

  describe('Block Kit limits', () => {
    let channel: string;
    beforeEach(() => {
      channel = fake.addChannel({ name: 'blocks' }).id;
    });

    const cases: Array<{ name: string; atLimit: unknown[]; over: unknown[]; pointer: string }> = [
      {
        name: '50 blocks per message',
        atLimit: Array.from({ length: 50 }, () => ({ type: 'divider' })),
        over: Array.from({ length: 51 }, () => ({ type: 'divider' })),
        pointer: '/blocks',
      },
      {
        name: 'section text 3000',
        atLimit: [section('a'.repeat(3000))],
        over: [section('a'.repeat(3001))],
        pointer: '/blocks/0/text/text',
      },
      {
        name: 'header text 150',
        atLimit: [{ type: 'header', text: plainText('h'.repeat(150)) }],
        over: [{ type: 'header', text: plainText('h'.repeat(151)) }],
        pointer: '/blocks/0/text/text',
      },
      {
        name: '10 section fields',
        atLimit: [{ type: 'section', fields: Array.from({ length: 10 }, () => plainText('f')) }],
        over: [{ type: 'section', fields: Array.from({ length: 11 }, () => plainText('f')) }],
        pointer: '/blocks/0/fields',
      },
      {
        name: 'section field 2000',
        atLimit: [{ type: 'section', fields: [plainText('x'), plainText('f'.repeat(2000))] }],
        over: [{ type: 'section', fields: [plainText('x'), plainText('f'.repeat(2001))] }],
        pointer: '/blocks/0/fields/1/text',
      },
      {
        name: '10 context elements',
        atLimit: [{ type: 'context', elements: Array.from({ length: 10 }, () => plainText('c')) }],
        over: [{ type: 'context', elements: Array.from({ length: 11 }, () => plainText('c')) }],
        pointer: '/blocks/0/elements',
      },
      {
        name: '25 actions elements',
        atLimit: [{ type: 'actions', elements: Array.from({ length: 25 }, () => button('b')) }],
        over: [{ type: 'actions', elements: Array.from({ length: 26 }, () => button('b')) }],
        pointer: '/blocks/0/elements',
      },
      {
        name: 'block_id 255',
        atLimit: [{ type: 'divider', block_id: 'i'.repeat(255) }],
        over: [{ type: 'divider', block_id: 'i'.repeat(256) }],
        pointer: '/blocks/0/block_id',
      },
      {
        name: 'button text 75',
        atLimit: [{ type: 'actions', elements: [button('t'.repeat(75))] }],
        over: [{ type: 'actions', elements: [button('t'.repeat(76))] }],
        pointer: '/blocks/0/elements/0/text/text',
      },
      {
        name: 'known block types only',
        atLimit: [{ type: 'divider' }],
        over: [{ type: 'divider' }, { type: 'sparkles' }],
        pointer: '/blocks/1',
      },
    ];

    it.each(cases)('$name: invalid_blocks just over the limit, accepted at it', async ({ atLimit, over, pointer }) => {
      const c = client(fake);
      await expect(c.chat.postMessage({ channel, text: 'fallback', blocks: atLimit as never })).resolves.toMatchObject({
        ok: true,
      });
      const err = await platformError(c.chat.postMessage({ channel, text: 'fallback', blocks: over as never }));
      expect(err.data.error).toBe('invalid_blocks');
      const messages = err.data.response_metadata?.messages ?? [];
      expect(messages.some((m) => m.startsWith('[ERROR]') && m.endsWith(`[json-pointer:${pointer}]`))).toBe(true);
      expect(fake.messages()).toHaveLength(1);
    });

    it('text over 40,000 characters is msg_too_long', async () => {
      const c = client(fake);
      await expect(c.chat.postMessage({ channel, text: 'x'.repeat(40_000) })).resolves.toMatchObject({ ok: true });
      expect(await slackErrorOf(c.chat.postMessage({ channel, text: 'x'.repeat(40_001) }))).toBe('msg_too_long');
    });

    it('blocks whose serialized JSON exceeds the cap are msg_blocks_too_long, before per-block checks', async () => {
      const c = client(fake);
      const fits = Array.from({ length: 4 }, () => section('a'.repeat(3000))); // ~12.2k of JSON
      expect(JSON.stringify(fits).length).toBeLessThanOrEqual(BLOCK_LIMITS.blocksJsonChars);
      await expect(c.chat.postMessage({ channel, text: 'fallback', blocks: fits as never })).resolves.toMatchObject({
        ok: true,
      });
      const tooBig = [...fits, section('a'.repeat(1500))];
      expect(await slackErrorOf(c.chat.postMessage({ channel, text: 'fallback', blocks: tooBig as never }))).toBe(
        'msg_blocks_too_long',
      );
      // Even though one block also breaks a per-block rule, the size answer wins.
      const both = [...fits, section('a'.repeat(3001))];
      expect(await slackErrorOf(c.chat.postMessage({ channel, text: 'fallback', blocks: both as never }))).toBe(
        'msg_blocks_too_long',
      );
    });

    it('no_text without text, blocks or attachments; invalid_blocks_format for malformed JSON', async () => {
      const c = client(fake);
      expect(await slackErrorOf(c.chat.postMessage({ channel, text: '' }))).toBe('no_text');
      expect(await slackErrorOf(c.apiCall('chat.postMessage', { channel, blocks: '[{"type": ' }))).toBe(
        'invalid_blocks_format',
      );
    });

    it('views.publish allows 100 blocks in App Home and refuses 101 with invalid_arguments', async () => {
      const ann = fake.addUser({ name: 'ann' });
      const c = client(fake);
      const hundred = Array.from({ length: 100 }, (_, i) => section(`row ${i}`));
      const res = await c.views.publish({ user_id: ann.id, view: { type: 'home', blocks: hundred as never } });
      expect(res.view?.id).toMatch(/^V/);
      expect(fake.homeView(ann.id)?.view.blocks).toHaveLength(100);
      const err = await platformError(
        c.views.publish({ user_id: ann.id, view: { type: 'home', blocks: [...hundred, section('x')] as never } }),
      );
      expect(err.data.error).toBe('invalid_arguments');
      expect(err.data.response_metadata?.messages).toContain(
        '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]',
      );
      expect(await slackErrorOf(c.views.publish({ user_id: 'U404', view: { type: 'home', blocks: [] } }))).toBe(
        'invalid_arguments',
      );
    });
  });

  describe('rate limits', () => {
    it('answers 429 with whole-second Retry-After plus a precise header', async () => {
      await fake.stop();
      fake = await startFakeSlack({ rateLimits: { tiers: { 3: { limit: 2, windowMs: 500 } } } });
      fake.addUser({ email: 'a@example.com' });
      const init: RequestInit = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${fake.botToken}` },
        body: 'email=a@example.com',
      };
      expect((await raw(fake, 'users.lookupByEmail', init)).status).toBe(200);
      expect((await raw(fake, 'users.lookupByEmail', init)).status).toBe(200);
      const limited = await raw(fake, 'users.lookupByEmail', init);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ ok: false, error: 'ratelimited' });
      expect(limited.headers.get('retry-after')).toBe('1');
      const precise = Number(limited.headers.get(PRECISE_RETRY_HEADER));
      expect(precise).toBeGreaterThan(0);
      expect(precise).toBeLessThanOrEqual(250);
      expect(fake.rateLimitedCount('users.lookupByEmail')).toBe(1);
    });

    it('the WebClient waits out a 429 (Retry-After) and retries successfully', async () => {
      await fake.stop();
      fake = await startFakeSlack({ rateLimits: { tiers: { 3: { limit: 2, windowMs: 500 } } } });
      fake.addUser({ email: 'a@example.com' });
      const c = client(fake, fake.botToken, { retryConfig: { retries: 3, minTimeout: 0, maxTimeout: 0 } });
      const started = Date.now();
      for (let i = 0; i < 3; i += 1) {
        await expect(c.users.lookupByEmail({ email: 'a@example.com' })).resolves.toMatchObject({ ok: true });
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(fake.rateLimitedCount('users.lookupByEmail')).toBe(1);
      expect(fake.countCalls('users.lookupByEmail')).toBe(4);
    });

    it('rejectRateLimitedCalls surfaces the 429 at once with retryAfter in seconds', async () => {
      fake.rateLimitNext('users.info', 7);
      const u = fake.addUser();
      const e: unknown = await client(fake, fake.botToken, { rejectRateLimitedCalls: true })
        .users.info({ user: u.id })
        .catch((err: unknown) => err);
      expect(e).toBeInstanceOf(WebAPIRateLimitedError);
      expect((e as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
      expect((e as WebAPIRateLimitedError).retryAfter).toBe(7);
    });

    it('Slack default tiers on an injected clock: Tier 2 allows 20 at once, then one every 3 s', async () => {
      let t = 1_700_000_000_000;
      await fake.stop();
      fake = await startFakeSlack({ now: () => t });
      const c = client(fake, fake.botToken, { rejectRateLimitedCalls: true });
      for (let i = 0; i < 20; i += 1) await c.users.list({ limit: 1 });
      const e = (await c.users.list({ limit: 1 }).catch((err: unknown) => err)) as WebAPIRateLimitedError;
      expect(e).toBeInstanceOf(WebAPIRateLimitedError);
      expect(e.retryAfter).toBe(3);
      t += 2_999;
      await expect(c.users.list({ limit: 1 })).rejects.toBeInstanceOf(WebAPIRateLimitedError);
      t += 1;
      await expect(c.users.list({ limit: 1 })).resolves.toMatchObject({ ok: true });
      // Other methods have their own budget.
      await expect(c.auth.test()).resolves.toMatchObject({ ok: true });
    });

    it('chat.postMessage: burst of 3 then 1 per second per channel; other channels unaffected', async () => {
      let t = 1_700_000_000_000;
      await fake.stop();
      fake = await startFakeSlack({ now: () => t });
      const a = fake.addChannel({ name: 'a' });
      const b = fake.addChannel({ name: 'b' });
      const c = client(fake, fake.botToken, { rejectRateLimitedCalls: true });
      for (let i = 0; i < 3; i += 1) await c.chat.postMessage({ channel: a.id, text: `m${i}` });
      await expect(c.chat.postMessage({ channel: a.id, text: 'too fast' })).rejects.toBeInstanceOf(
        WebAPIRateLimitedError,
      );
      await expect(c.chat.postMessage({ channel: b.id, text: 'other channel' })).resolves.toMatchObject({ ok: true });
      t += 1_000;
      await expect(c.chat.postMessage({ channel: a.id, text: 'a second later' })).resolves.toMatchObject({ ok: true });
      await expect(c.chat.postMessage({ channel: a.id, text: 'again too fast' })).rejects.toBeInstanceOf(
        WebAPIRateLimitedError,
      );
      expect(fake.messages({ channel: a.id })).toHaveLength(4);
      expect(fake.rateLimitedCount('chat.postMessage')).toBe(2);
    });

    it('chat.postMessage workspace-wide cap applies across channels', async () => {
      await fake.stop();
      fake = await startFakeSlack({ rateLimits: { postMessageWorkspace: { limit: 2, windowMs: 60_000 } } });
      const users = fake.addUsers(3);
      const c = client(fake, fake.botToken, { rejectRateLimitedCalls: true });
      await c.chat.postMessage({ channel: users[0]?.id ?? '', text: '1' });
      await c.chat.postMessage({ channel: users[1]?.id ?? '', text: '2' });
      const e = (await c.chat
        .postMessage({ channel: users[2]?.id ?? '', text: '3' })
        .catch((err: unknown) => err)) as WebAPIRateLimitedError;
      expect(e.retryAfter).toBe(30);
    });

    it('rate limiting can be switched off', async () => {
      await fake.stop();
      fake = await startFakeSlack({ rateLimits: { tiers: { 2: { limit: 1, windowMs: 60_000 } } } });
      const c = client(fake, fake.botToken, { rejectRateLimitedCalls: true });
      await c.users.list({});
      await expect(c.users.list({})).rejects.toBeInstanceOf(WebAPIRateLimitedError);
      fake.setRateLimiting(false);
      for (let i = 0; i < 30; i += 1) await c.users.list({});
      expect(fake.rateLimitedCount('users.list')).toBe(1);
    });
  });

  describe('files upload v2', () => {
    it('filesUploadV2 end to end: URL, bytes, completion, shared into the channel', async () => {
      const ch = fake.addChannel({ name: 'reports' });
      const bytes = Buffer.from('account,user,mfa\n111111111111,alice,false\n', 'utf8');
      const res = await client(fake).filesUploadV2({
        channel_id: ch.id,
        file: bytes,
        filename: 'mfa-report.csv',
        title: 'MFA report',
        initial_comment: 'Weekly MFA report',
      });
      expect(res.ok).toBe(true);
      const completion = (
        res.files as Array<{ files?: Array<{ id?: string; title?: string; channels?: string[] }> }>
      )[0];
      const fileId = completion?.files?.[0]?.id ?? '';
      expect(fileId).toMatch(/^F/);
      expect(completion?.files?.[0]).toMatchObject({ title: 'MFA report', channels: [ch.id] });
      const [stored] = fake.files();
      expect(stored?.id).toBe(fileId);
      expect(stored?.bytes?.equals(bytes)).toBe(true);
      expect(stored).toMatchObject({
        filename: 'mfa-report.csv',
        length: bytes.length,
        completed: true,
        channel: ch.id,
      });
      const [shared] = fake.messages({ channel: ch.id });
      expect(shared).toMatchObject({ text: 'Weekly MFA report', files: [fileId] });
      expect(fake.countCalls('<upload>')).toBe(1);
      expect(fake.calls().map((c) => c.method)).toEqual([
        'files.getUploadURLExternal',
        '<upload>',
        'files.completeUploadExternal',
      ]);
    });

    it('accepts raw bytes at the upload URL and refuses an unknown one', async () => {
      const ann = fake.addUser();
      const c = client(fake);
      const { upload_url: uploadUrl = '', file_id: fileId = '' } = await c.files.getUploadURLExternal({
        filename: 'a.txt',
        length: 3,
      });
      expect(uploadUrl.startsWith(fake.url.replace(/api\/$/, ''))).toBe(true);
      expect((await fetch(uploadUrl, { method: 'POST', body: 'abc' })).status).toBe(200);
      expect((await fetch(`${uploadUrl}x`, { method: 'POST', body: 'abc' })).status).toBe(404);
      await c.apiCall('files.completeUploadExternal', { files: [{ id: fileId, title: 'A' }], channels: ann.id });
      expect(fake.files()[0]?.bytes?.toString()).toBe('abc');
      expect(fake.dmsTo(ann.id)[0]?.files).toEqual([fileId]);
    });

    it('completion fails with not_in_channel / file_not_found; zero length is missing_argument', async () => {
      const outside = fake.addChannel({ name: 'outside', botIsMember: false });
      const c = client(fake);
      const err = await platformError(
        c.filesUploadV2({ channel_id: outside.id, file: Buffer.from('x'), filename: 'x.txt' }),
      );
      expect(err.data.error).toBe('not_in_channel');
      expect(fake.files()[0]?.completed).toBe(false);
      expect(await slackErrorOf(c.files.completeUploadExternal({ files: [{ id: 'F404' }] }))).toBe('file_not_found');
      expect(await slackErrorOf(c.files.getUploadURLExternal({ filename: 'empty.txt', length: 0 }))).toBe(
        'missing_argument',
      );
    });
  });

  describe('chat.update', () => {
    it('updates text and keeps blocks unless replaced; records every version', async () => {
      const ch = fake.addChannel({ name: 'digest' });
      const c = client(fake);
      const posted = await c.chat.postMessage({ channel: ch.id, text: 'v1', blocks: [section('one')] as never });
      const updated = await c.chat.update({ channel: ch.id, ts: posted.ts ?? '', text: 'v2' });
      expect(updated).toMatchObject({ ok: true, channel: ch.id, ts: posted.ts, text: 'v2' });
      await c.chat.update({ channel: ch.id, ts: posted.ts ?? '', text: 'v3', blocks: [section('three')] as never });
      const [m] = fake.messages();
      expect(m?.edited).toBe(true);
      expect(m?.text).toBe('v3');
      expect(m?.versions.map((v) => v.text)).toEqual(['v1', 'v2', 'v3']);
      expect(m?.versions[1]?.blocks).toEqual([section('one')]);
      expect(m?.blocks).toEqual([section('three')]);
    });

    it('message_not_found, cant_update_message, DM needs the D id, and limits apply', async () => {
      const ch = fake.addChannel({ name: 'digest' });
      const ann = fake.addUser();
      const c = client(fake);
      expect(await slackErrorOf(c.chat.update({ channel: ch.id, ts: '1700000000.000001', text: 'x' }))).toBe(
        'message_not_found',
      );
      const theirs = fake.postAsUser(ch.id, ann.id, 'human message');
      expect(await slackErrorOf(c.chat.update({ channel: ch.id, ts: theirs.ts, text: 'x' }))).toBe(
        'cant_update_message',
      );
      const dm = await c.chat.postMessage({ channel: ann.id, text: 'dm v1' });
      expect(await slackErrorOf(c.chat.update({ channel: ann.id, ts: dm.ts ?? '', text: 'x' }))).toBe(
        'channel_not_found',
      );
      await c.chat.update({ channel: dm.channel ?? '', ts: dm.ts ?? '', text: 'dm v2' });
      expect(fake.dmsTo(ann.id)[0]?.text).toBe('dm v2');
      const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
      expect(
        await slackErrorOf(
          c.chat.update({ channel: dm.channel ?? '', ts: dm.ts ?? '', text: 'x', blocks: tooMany as never }),
        ),
      ).toBe('invalid_blocks');
    });
  });

  describe('injected failures and recording', () => {
    it('failNext answers the error for the next N calls, then behaves normally', async () => {
      const ch = fake.addChannel({ name: 'x' });
      fake.failNext('chat.postMessage', 'internal_error', 2);
      const c = client(fake);
      expect(await slackErrorOf(c.chat.postMessage({ channel: ch.id, text: '1' }))).toBe('internal_error');
      expect(await slackErrorOf(c.chat.postMessage({ channel: ch.id, text: '2' }))).toBe('internal_error');
      await expect(c.chat.postMessage({ channel: ch.id, text: '3' })).resolves.toMatchObject({ ok: true });
      expect(fake.messages().map((m) => m.text)).toEqual(['3']);
      expect(fake.countCalls('chat.postMessage')).toBe(3);
    });

    it('failNext("*") hits whichever method comes next', async () => {
      fake.failNext('*', 'fatal_error');
      const c = client(fake);
      expect(await slackErrorOf(c.auth.test())).toBe('fatal_error');
      await expect(c.auth.test()).resolves.toMatchObject({ ok: true });
    });

    it('failNextHttp gives a WebAPIHTTPError without retries, and is retried away with them', async () => {
      const u = fake.addUser();
      fake.failNextHttp('users.info', 500);
      const e: unknown = await client(fake)
        .users.info({ user: u.id })
        .catch((err: unknown) => err);
      expect(e).toBeInstanceOf(WebAPIHTTPError);
      expect((e as WebAPIHTTPError).statusCode).toBe(500);

      fake.failNextHttp('users.info', 503, 2);
      const retrying = client(fake, fake.botToken, { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });
      await expect(retrying.users.info({ user: u.id })).resolves.toMatchObject({ ok: true });
      expect(fake.calls('users.info').map((c) => c.status)).toEqual([500, 503, 503, 200]);
    });

    it(
      'post-then faults carry the post out and lose its answer; ' + 'a WebClient that retries posts doubles it',
      async () => {
        const ch = fake.addChannel({ name: 'faults' });
        const noRetry = client(fake, fake.botToken, { retryConfig: { retries: 0 }, timeout: 200 });
        fake.postThenDropNext('chat.postMessage');
        await expect(noRetry.chat.postMessage({ channel: ch.id, text: 'dropped' })).rejects.toBeDefined();
        // Let the client's connection pool see the dropped socket close before the next request.
        await new Promise((r) => setTimeout(r, 50));
        fake.postThenFailNext('chat.postMessage', 503);
        await expect(noRetry.chat.postMessage({ channel: ch.id, text: '503' })).rejects.toMatchObject({
          statusCode: 503,
        });
        fake.answerLateNext('chat.postMessage', 600);
        await expect(noRetry.chat.postMessage({ channel: ch.id, text: 'late' })).rejects.toBeDefined();
        fake.dropNext('chat.postMessage');
        await expect(noRetry.chat.postMessage({ channel: ch.id, text: 'never' })).rejects.toBeDefined();
        expect(fake.messages({ channel: ch.id }).map((m) => m.text)).toEqual(['dropped', '503', 'late']);

        fake.postThenFailNext('chat.postMessage', 503);
        const retrying = client(fake, fake.botToken, { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });
        await retrying.chat.postMessage({ channel: ch.id, text: 'twice' });
        expect(fake.messages({ channel: ch.id }).filter((m) => m.text === 'twice')).toHaveLength(2);
      },
    );

    it('refuses the first post to each channel once, and random faults are seeded', async () => {
      const [a, b] = fake.addUsers(2);
      fake.refuseFirstPostPerChannel(1);
      const c = client(fake, fake.botToken, { rejectRateLimitedCalls: true });
      await expect(c.chat.postMessage({ channel: a!.id, text: 'x' })).rejects.toMatchObject({ retryAfter: 1 });
      await expect(c.chat.postMessage({ channel: a!.id, text: 'x' })).resolves.toMatchObject({ ok: true });
      await expect(c.chat.postMessage({ channel: b!.id, text: 'x' })).rejects.toMatchObject({ retryAfter: 1 });
      fake.refuseFirstPostPerChannel(undefined);
      const roll = (seed: number) => {
        const faults = fake.setRandomFaults({ probability: 0.5, seed })!;
        return Array.from({ length: 20 }, () => faults.roll('chat.postMessage')?.kind ?? 'ok').join(',');
      };
      expect(roll(3)).toBe(roll(3));
      expect(roll(3)).toMatch(/http|drop|after/);
    });

    it('rateLimitNext forces a 429 that the WebClient waits out', async () => {
      fake.rateLimitNext('auth.test', 1);
      const c = client(fake, fake.botToken, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
      await expect(c.auth.test()).resolves.toMatchObject({ ok: true });
      expect(fake.calls('auth.test').map((x) => x.status)).toEqual([429, 200]);
    });

    it('records params with the token redacted, the injected clock time, and resets', async () => {
      let t = 1_234_000;
      await fake.stop();
      fake = await startFakeSlack({ rateLimits: false, now: () => t });
      const ch = fake.addChannel({ name: 'rec' });
      const c = client(fake);
      await c.chat.postMessage({ channel: ch.id, text: 'hello', blocks: [section('b')] as never });
      t += 5;
      await c.apiCall('auth.test', { token: fake.botToken });
      const [post, auth] = fake.calls();
      expect(post).toMatchObject({
        method: 'chat.postMessage',
        status: 200,
        ok: true,
        tokenPrefix: 'xoxb-',
        time: 1_234_000,
      });
      expect(post?.params).toMatchObject({ channel: ch.id, text: 'hello' });
      expect(JSON.parse(String(post?.params.blocks))).toEqual([section('b')]);
      expect(auth?.time).toBe(1_234_005);
      expect(JSON.stringify(fake.calls())).not.toContain(fake.botToken);
      fake.reset();
      expect(fake.calls()).toHaveLength(0);
      expect(fake.messages()).toHaveLength(0);
      expect(fake.getChannel(ch.id)).toBeDefined();
    });
  });
});
