import { BLOCK_LIMITS } from './block-kit.js';
import { Injector, type ParamsMatcher } from './injector.js';
import { RandomFaults, type RandomFaultOptions } from './random-faults.js';
import { RateLimiter, type ResolvedRateConfig, resolveRateConfig } from './rate-limiter.js';
import { Recorder } from './recorder.js';
import { FakeSlackHttp } from './server.js';
import { type SocketAck, type SocketEnvelope, SocketModeHub } from './socket-mode.js';
import type {
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
  RecordedCall,
  StartOptions,
  TokenState,
} from './types.js';
import { Workspace } from './workspace.js';

/**
 * A running fake Slack Web API. Point a WebClient at it with
 * `new WebClient(fake.botToken, { slackApiUrl: fake.url })`.
 */
export class FakeSlack {
  /** Base URL of the Web API, ending in "/api/" (the WebClient's slackApiUrl). */
  readonly url: string;
  readonly port: number;
  readonly botToken: string;
  readonly botUserId: string;
  readonly teamId: string;
  /** The underlying model, for anything the helpers below do not cover. */
  readonly workspace: Workspace;

  private rateLimiting: boolean;
  /** @internal */
  randomFaults: RandomFaults | undefined;
  /** @internal */
  firstPostRefusal: { retryAfterSec: number; seen: Set<string> } | undefined;

  /** @internal use startFakeSlack() */
  constructor(
    private readonly http: FakeSlackHttp,
    port: number,
    ws: Workspace,
    botToken: string,
    private readonly recorder: Recorder,
    private readonly injector: Injector,
    private readonly limiter: RateLimiter,
    rateLimiting: boolean,
    private readonly socketMode: SocketModeHub,
  ) {
    this.port = port;
    this.url = `${http.baseUrl}/api/`;
    this.workspace = ws;
    this.botToken = botToken;
    this.botUserId = ws.botUserId;
    this.teamId = ws.teamId;
    this.rateLimiting = rateLimiting;
  }

  /** @internal */
  isRateLimitingEnabled(): boolean {
    return this.rateLimiting;
  }

  // ---- model ---------------------------------------------------------------

  /** Adds a user (id generated when omitted) and returns the live object. */
  addUser(user: NewUser = {}): FakeUser {
    return this.workspace.addUser(user);
  }

  /** Adds `count` users built by `make(i)` (i from 0). */
  addUsers(
    count: number,
    make: (i: number) => NewUser = (i) => ({ name: `user${i}`, email: `user${i}@example.com` }),
  ): FakeUser[] {
    return Array.from({ length: count }, (_, i) => this.workspace.addUser(make(i)));
  }

  getUser(id: string): FakeUser | undefined {
    return this.workspace.users.get(id);
  }

  /** Marks a user deactivated (deleted: true). */
  deactivateUser(id: string): void {
    const u = this.workspace.users.get(id);
    if (u === undefined) throw new Error(`fake-slack: unknown user ${id}`);
    u.deleted = true;
  }

  addChannel(channel: NewChannel): FakeChannel {
    return this.workspace.addChannel(channel);
  }

  getChannel(id: string): FakeChannel | undefined {
    return this.workspace.channels.get(id);
  }

  /** The DM channel id the bot has with a user, if one was opened. */
  dmChannelOf(userId: string): string | undefined {
    return this.workspace.imFor(userId)?.id;
  }

  addUserGroup(group: NewUserGroup): FakeUserGroup {
    return this.workspace.addUserGroup(group);
  }

  /** Another valid token (bot by default; "xoxp-" tokens default to kind 'user'). */
  addToken(token: string, opts: { kind?: 'bot' | 'user' | 'app'; userId?: string; scopes?: string[] } = {}): FakeToken {
    return this.workspace.addToken(token, opts);
  }

  /** An app-level token (Socket Mode): it may call apps.connections.open and nothing else. */
  addAppToken(token = 'xapp-1-fake-app-token'): FakeToken {
    return this.workspace.addToken(token, { kind: 'app' });
  }

  // ---- Socket Mode -------------------------------------------------------------

  /** Open WebSocket connections from Socket Mode clients. */
  socketConnections(): number {
    return this.socketMode.openConnections;
  }

  waitForSocket(timeoutMs = 5_000): Promise<void> {
    return this.socketMode.waitForConnection(timeoutMs);
  }

  /** Sends an envelope (events_api, slash_commands, interactive) to the newest connection; resolves with its ack. */
  sendOverSocket(envelope: SocketEnvelope, timeoutMs = 5_000): Promise<SocketAck> {
    return this.socketMode.send(envelope, timeoutMs);
  }

  /** Every frame Socket Mode clients sent (acks), parsed. */
  socketFrames(): unknown[] {
    return [...this.socketMode.received];
  }

  /** 'revoked' → token_revoked, 'inactive' → account_inactive, 'active' → works again. */
  setTokenState(token: string, state: TokenState): void {
    this.workspace.setTokenState(token, state);
  }

  /** Seeds a message written by someone else (e.g. to test cant_update_message). */
  postAsUser(channelId: string, userId: string, text: string): FakeMessage {
    const ch = this.workspace.channels.get(channelId);
    if (ch === undefined) throw new Error(`fake-slack: unknown channel ${channelId}`);
    return this.workspace.addMessage(ch, { user: userId, requestedChannel: channelId, text });
  }

  // ---- injectors -------------------------------------------------------------

  /** The next `count` authenticated calls of `method` ("*" = any) answer {ok:false, error} (HTTP 200). */
  failNext(method: string, error: string, count = 1, extra: Record<string, unknown> = {}, match?: ParamsMatcher): void {
    this.injector.add(method, { kind: 'error', error, extra }, count, match);
  }

  /** The next `count` authenticated calls of `method` answer a bare HTTP `status` (default 500). */
  failNextHttp(method: string, status = 500, count = 1): void {
    this.injector.add(method, { kind: 'http', status, body: `fake-slack injected HTTP ${status}` }, count);
  }

  /** The next `count` authenticated calls of `method` answer 429 with Retry-After: retryAfterSec. */
  rateLimitNext(method: string, retryAfterSec = 1, count = 1): void {
    this.injector.add(method, { kind: 'ratelimited', retryAfterSec }, count);
  }

  /** The next `count` calls are carried out (a post lands), then the connection is dropped before the answer. */
  postThenDropNext(method: string, count = 1, match?: ParamsMatcher): void {
    this.injector.add(method, { kind: 'after', then: { answer: 'drop' } }, count, match);
  }

  /** The next `count` calls are carried out, then answered with a bare HTTP `status` (default 503). */
  postThenFailNext(method: string, status = 503, count = 1, match?: ParamsMatcher): void {
    this.injector.add(method, { kind: 'after', then: { answer: 'http', status } }, count, match);
  }

  /** The next `count` calls are carried out at once, and answered `delayMs` later (past a client's timeout, say). */
  answerLateNext(method: string, delayMs: number, count = 1, match?: ParamsMatcher): void {
    this.injector.add(method, { kind: 'after', then: { answer: 'late', delayMs } }, count, match);
  }

  /** The next `count` calls lose their connection before Slack does anything. */
  dropNext(method: string, count = 1, match?: ParamsMatcher): void {
    this.injector.add(method, { kind: 'drop' }, count, match);
  }

  /**
   * The first chat.postMessage to each channel (each DM too) is refused with 429 and this Retry-After,
   * once; what a busy workspace's per-channel limit looks like to a fan-out. `undefined` turns it off.
   */
  refuseFirstPostPerChannel(retryAfterSec: number | undefined): void {
    this.firstPostRefusal = retryAfterSec === undefined ? undefined : { retryAfterSec, seen: new Set() };
  }

  /** Random 503s and dropped connections, before or after the work is done (see RandomFaults); `undefined` = off. */
  setRandomFaults(options: RandomFaultOptions | undefined): RandomFaults | undefined {
    this.randomFaults = options === undefined ? undefined : new RandomFaults(options);
    return this.randomFaults;
  }

  clearInjections(): void {
    this.injector.clear();
  }

  /** Turn the tier / chat.postMessage limits on or off at runtime (injections still apply). */
  setRateLimiting(enabled: boolean): void {
    this.rateLimiting = enabled;
    this.limiter.reset();
  }

  // ---- recorders --------------------------------------------------------------

  /** Every request answered, in order (token redacted to tokenPrefix). Upload POSTs appear as "<upload>". */
  calls(method?: string): RecordedCall[] {
    return this.recorder.calls(method);
  }

  /** Number of requests to `method` (all outcomes, 429s included). */
  countCalls(method?: string): number {
    return this.recorder.count(method);
  }

  /** Number of requests to `method` answered 429. */
  rateLimitedCount(method?: string): number {
    return this.recorder.rateLimited(method);
  }

  /** Messages in channels and DMs (bot posts, file shares, postAsUser seeds), oldest first. */
  messages(filter: { channel?: string } = {}): FakeMessage[] {
    return this.workspace.messages.filter((m) => filter.channel === undefined || m.channel === filter.channel);
  }

  /** Messages in the bot's DM with this user (however the bot addressed it: U... or D...). */
  dmsTo(userId: string): FakeMessage[] {
    return this.workspace.messages.filter((m) => m.channelKind === 'im' && m.dmUser === userId);
  }

  ephemerals(): FakeEphemeral[] {
    return [...this.workspace.ephemerals];
  }

  files(): FakeFile[] {
    return [...this.workspace.files.values()];
  }

  homeView(userId: string): FakeHomeView | undefined {
    return this.workspace.homeViews.get(userId);
  }

  homeViews(): FakeHomeView[] {
    return [...this.workspace.homeViews.values()];
  }

  /**
   * Forget calls, injections, rate-limit state and produced content (messages, files,
   * ephemerals, home views). Users, channels, DM ids, groups and tokens stay.
   */
  reset(): void {
    this.recorder.clear();
    this.injector.clear();
    this.limiter.reset();
    this.randomFaults = undefined;
    this.firstPostRefusal = undefined;
    this.workspace.clearContent();
  }

  async stop(): Promise<void> {
    await this.http.close();
  }
}

/** Starts a fake Slack Web API on 127.0.0.1 (random port). */
export async function startFakeSlack(opts: StartOptions = {}): Promise<FakeSlack> {
  const now = opts.now ?? Date.now;
  const botToken = opts.botToken ?? 'xoxb-fake-bot-token';
  const ws = new Workspace({
    teamId: opts.teamId ?? 'T0000000001',
    teamName: opts.teamName ?? 'Fake Workspace',
    botUserId: opts.botUserId ?? 'UBOT000001',
    botName: opts.botName ?? 'mfa-bot',
    botId: 'BFAKEBOT01',
    includeSlackbot: opts.includeSlackbot ?? true,
    now,
  });
  ws.addToken(botToken, { kind: 'bot', ...(opts.botScopes !== undefined ? { scopes: opts.botScopes } : {}) });
  const recorder = new Recorder();
  const injector = new Injector();
  const limiter = new RateLimiter(now);
  const rateConfig: ResolvedRateConfig = resolveRateConfig(opts.rateLimits === false ? undefined : opts.rateLimits);
  let fake: FakeSlack | undefined;
  const socketMode = new SocketModeHub(ws.socketTickets);
  const http = new FakeSlackHttp({
    socketMode,
    ws,
    recorder,
    injector,
    limiter,
    rateConfig,
    behaviour: {
      deletedUserDm: opts.deletedUserDm ?? 'deliver',
      messagesTabEnabled: opts.messagesTabEnabled ?? true,
      maxBlocksJsonChars: opts.maxBlocksJsonChars ?? BLOCK_LIMITS.blocksJsonChars,
    },
    now,
    verbose: opts.verbose ?? false,
    isRateLimitingEnabled: () => fake?.isRateLimitingEnabled() ?? false,
    randomFaults: () => fake?.randomFaults,
    firstPostRefusal: () => fake?.firstPostRefusal,
  });
  const port = await http.listen();
  fake = new FakeSlack(http, port, ws, botToken, recorder, injector, limiter, opts.rateLimits !== false, socketMode);
  return fake;
}
