import { randomBytes } from 'node:crypto';
import type {
  ChannelKind,
  FakeChannel,
  FakeEphemeral,
  FakeFile,
  FakeHomeView,
  FakeMessage,
  FakeToken,
  FakeUser,
  FakeUserGroup,
  NewChannel,
  NewUser,
  NewUserGroup,
  TokenState,
} from './types.js';

/** Seconds east of UTC for an IANA zone at a given instant. */
export function tzOffsetSeconds(tz: string, at: number): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part ?? '');
  if (m === null) return 0;
  const secs = Number(m[2]) * 3600 + Number(m[3]) * 60;
  return m[1] === '-' ? -secs : secs;
}

function tzLabel(tz: string, at: number): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' })
      .formatToParts(new Date(at))
      .find((p) => p.type === 'timeZoneName')?.value ?? tz
  );
}

export interface WorkspaceInit {
  teamId: string;
  teamName: string;
  botUserId: string;
  botName: string;
  botId: string;
  includeSlackbot: boolean;
  now: () => number;
}

/**
 * The state of the fake workspace: the model the test controls (users, channels, groups,
 * tokens) and what the bot produced (messages, files, home views).
 */
export class Workspace {
  readonly teamId: string;
  readonly teamName: string;
  readonly botUserId: string;
  readonly botId: string;
  /** Insertion-ordered, which is users.list order. */
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly userGroups = new Map<string, FakeUserGroup>();
  readonly tokens = new Map<string, FakeToken>();
  /** One-time tickets of the Socket Mode URLs apps.connections.open handed out. */
  readonly socketTickets = new Set<string>();
  readonly messages: FakeMessage[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly files = new Map<string, FakeFile>();
  readonly homeViews = new Map<string, FakeHomeView>();
  /** Modals views.open opened, in order; and the trigger_ids used (each is good once). */
  readonly openedViews: Array<{ id: string; trigger_id: string; view: Record<string, unknown>; openedAt: number }> = [];
  readonly usedTriggers = new Set<string>();
  private readonly imByUser = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private lastTsMicros = 0;
  private readonly now: () => number;

  constructor(init: WorkspaceInit) {
    this.teamId = init.teamId;
    this.teamName = init.teamName;
    this.botUserId = init.botUserId;
    this.botId = init.botId;
    this.now = init.now;
    if (init.includeSlackbot) {
      // Real Slack lists Slackbot with is_bot: false.
      this.addUser({ id: 'USLACKBOT', name: 'slackbot', real_name: 'Slackbot', tz: 'America/Los_Angeles' });
    }
    const bot = this.addUser({
      id: init.botUserId,
      name: init.botName,
      real_name: init.botName,
      is_bot: true,
      tz: 'America/Los_Angeles',
    });
    bot.profile.bot_id = init.botId;
  }

  /** Next id with a prefix: U0000000001, C0000000001, ... */
  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${String(n).padStart(10, '0')}`;
  }

  /** A unique, increasing message ts in Slack's "1700000000.000100" form, from the clock. */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.now()) * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    const secs = Math.floor(micros / 1_000_000);
    const frac = micros % 1_000_000;
    return `${secs}.${String(frac).padStart(6, '0')}`;
  }

  randomKey(): string {
    return randomBytes(12).toString('hex');
  }

  // ---- users -------------------------------------------------------------

  addUser(input: NewUser = {}): FakeUser {
    const id = input.id ?? this.nextId('U');
    if (this.users.has(id)) throw new Error(`fake-slack: user ${id} already exists`);
    const at = this.now();
    const name = input.name ?? id.toLowerCase();
    const realName = input.real_name ?? name;
    const displayName = input.display_name ?? '';
    const tz = input.tz ?? 'America/Los_Angeles';
    const [first, ...rest] = realName.split(' ');
    const user: FakeUser = {
      id,
      team_id: this.teamId,
      name,
      real_name: realName,
      deleted: input.deleted ?? false,
      color: '9f69e7',
      tz,
      tz_label: input.tz_label ?? tzLabel(tz, at),
      tz_offset: input.tz_offset ?? tzOffsetSeconds(tz, at),
      is_admin: input.is_admin ?? false,
      is_owner: input.is_owner ?? false,
      is_primary_owner: false,
      is_restricted: input.is_restricted ?? false,
      is_ultra_restricted: input.is_ultra_restricted ?? false,
      is_bot: input.is_bot ?? false,
      is_app_user: input.is_app_user ?? false,
      updated: Math.floor(at / 1000),
      profile: {
        ...(input.email !== undefined ? { email: input.email } : {}),
        real_name: realName,
        real_name_normalized: realName,
        display_name: displayName,
        display_name_normalized: displayName,
        ...(first !== undefined && first !== '' ? { first_name: first } : {}),
        ...(rest.length > 0 ? { last_name: rest.join(' ') } : {}),
        title: input.title ?? '',
        image_72: `https://fake.slack-edge.invalid/${id}_72.png`,
        team: this.teamId,
      },
    };
    this.users.set(id, user);
    return user;
  }

  findUserByEmail(email: string): FakeUser | undefined {
    const wanted = email.trim().toLowerCase();
    for (const u of this.users.values()) {
      if (u.profile.email !== undefined && u.profile.email.toLowerCase() === wanted) return u;
    }
    return undefined;
  }

  // ---- channels ----------------------------------------------------------

  addChannel(input: NewChannel): FakeChannel {
    const id = input.id ?? this.nextId(input.is_private === true ? 'G' : 'C');
    if (this.channels.has(id)) throw new Error(`fake-slack: channel ${id} already exists`);
    const ch: FakeChannel = {
      id,
      name: input.name.replace(/^#/, ''),
      kind: 'channel',
      is_private: input.is_private ?? false,
      is_archived: input.archived ?? false,
      botIsMember: input.botIsMember ?? true,
      ...(input.members !== undefined ? { members: [...input.members] } : {}),
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(id, ch);
    return ch;
  }

  /** The IM between the bot and a user, created on first use (same id afterwards). */
  openIm(userId: string): { channel: FakeChannel; alreadyOpen: boolean } {
    const existing = this.imByUser.get(userId);
    if (existing !== undefined) {
      const ch = this.channels.get(existing);
      if (ch !== undefined) return { channel: ch, alreadyOpen: true };
    }
    const ch: FakeChannel = {
      id: this.nextId('D'),
      name: userId,
      kind: 'im',
      is_private: true,
      is_archived: false,
      botIsMember: true,
      members: [userId],
      user: userId,
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(ch.id, ch);
    this.imByUser.set(userId, ch.id);
    return { channel: ch, alreadyOpen: false };
  }

  imFor(userId: string): FakeChannel | undefined {
    const id = this.imByUser.get(userId);
    return id === undefined ? undefined : this.channels.get(id);
  }

  /** A channel by id, or by name ("general" / "#general") as Slack also accepts. */
  findChannel(ref: string): FakeChannel | undefined {
    const byId = this.channels.get(ref);
    if (byId !== undefined) return byId;
    const name = ref.replace(/^#/, '');
    for (const ch of this.channels.values()) if (ch.kind === 'channel' && ch.name === name) return ch;
    return undefined;
  }

  isUserInChannel(ch: FakeChannel, userId: string): boolean {
    return ch.members === undefined || ch.members.includes(userId);
  }

  // ---- user groups -------------------------------------------------------

  addUserGroup(input: NewUserGroup): FakeUserGroup {
    const id = input.id ?? this.nextId('S');
    const g: FakeUserGroup = {
      id,
      handle: input.handle,
      name: input.name ?? input.handle,
      users: [...(input.users ?? [])],
    };
    this.userGroups.set(id, g);
    return g;
  }

  // ---- tokens ------------------------------------------------------------

  addToken(token: string, opts: { kind?: 'bot' | 'user' | 'app'; userId?: string; scopes?: string[] } = {}): FakeToken {
    const t: FakeToken = {
      token,
      kind: opts.kind ?? (token.startsWith('xoxp-') ? 'user' : token.startsWith('xapp-') ? 'app' : 'bot'),
      userId: opts.userId ?? this.botUserId,
      state: 'active',
      ...(opts.scopes !== undefined ? { scopes: [...opts.scopes] } : {}),
    };
    this.tokens.set(token, t);
    return t;
  }

  setTokenState(token: string, state: TokenState): void {
    const t = this.tokens.get(token);
    if (t === undefined) throw new Error(`fake-slack: unknown token ${token.slice(0, 5)}...`);
    t.state = state;
  }

  // ---- produced content --------------------------------------------------

  addMessage(
    ch: FakeChannel,
    m: {
      user: string;
      requestedChannel: string;
      text: string;
      blocks?: unknown[];
      attachments?: unknown[];
      thread_ts?: string;
      files?: string[];
      metadata?: unknown;
    },
  ): FakeMessage {
    const msg: FakeMessage = {
      channel: ch.id,
      channelKind: ch.kind as ChannelKind,
      ...(ch.kind === 'im' && ch.user !== undefined ? { dmUser: ch.user } : {}),
      requestedChannel: m.requestedChannel,
      user: m.user,
      ts: this.nextTs(),
      ...(m.thread_ts !== undefined ? { thread_ts: m.thread_ts } : {}),
      text: m.text,
      ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
      ...(m.attachments !== undefined ? { attachments: m.attachments } : {}),
      ...(m.files !== undefined ? { files: m.files } : {}),
      ...(m.metadata !== undefined ? { metadata: m.metadata } : {}),
      edited: false,
      versions: [
        {
          text: m.text,
          ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
          ...(m.attachments !== undefined ? { attachments: m.attachments } : {}),
          at: this.now(),
        },
      ],
    };
    this.messages.push(msg);
    return msg;
  }

  findMessage(channelId: string, ts: string): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === channelId && m.ts === ts);
  }

  /** Clears what the bot produced; keeps users, channels (and IM ids), groups and tokens. */
  clearContent(): void {
    this.messages.length = 0;
    this.ephemerals.length = 0;
    this.files.clear();
    this.homeViews.clear();
    this.openedViews.length = 0;
    this.usedTriggers.clear();
  }
}
