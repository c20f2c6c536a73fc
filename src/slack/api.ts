import type {
  ChatPostMessageArguments,
  ChatUpdateArguments,
  ConversationsHistoryArguments,
  FilesUploadV2Arguments,
  UsersListArguments,
  WebClient,
} from '@slack/web-api';
import { type GateCall, isRateLimited, RateLimitGate } from './rate-limit.js';

/**
 * How a post is sent: `beforeSend` runs each time the gate lets it go (there the claim is made),
 * `onRateLimited` when Slack refused it with a 429 (not posted: the claim is released while it waits);
 * `signal` stops waiting.
 */
export interface SendOptions {
  beforeSend?: () => Promise<void>;
  onRateLimited?: () => Promise<void>;
  signal?: AbortSignal;
}

/**
 * The Slack Web API methods mfa-bot uses, each behind the rate-limit gate. Everything in the bot talks to
 * Slack through this, so there is one place that knows about 429s.
 *
 * Reads go through `client`, whose own retries cover 5xx answers and dropped connections. Posts go
 * through `writer`, which never retries: Slack may have posted a message whose answer was lost, so a
 * second attempt is the caller's decision (deliver.ts leaves it to the claim recovery), never blind.
 */
export class SlackApi {
  constructor(
    readonly client: WebClient,
    private readonly gate: RateLimitGate = new RateLimitGate(),
    private readonly writer: WebClient = client,
    /** LOG_LEVEL=debug: one line per call (method, channel, outcome, time); never a token or a message's text. */
    private readonly debug?: (line: string) => void,
  ) {}

  private call<T>(method: string, fn: () => Promise<T>, how: GateCall = {}): Promise<T> {
    const debug = this.debug;
    if (!debug) return this.gate.call(method, fn, how);
    const started = Date.now();
    const where = how.channel ? ` ${how.channel}` : '';
    return this.gate.call(method, fn, how).then(
      (result) => {
        debug(`slack ${method}${where}: ok in ${Date.now() - started} ms`);
        return result;
      },
      (err: unknown) => {
        const code =
          (err as { data?: { error?: string }; code?: string })?.data?.error ?? (err as { code?: string })?.code;
        debug(`slack ${method}${where}: ${code ?? 'failed'} after ${Date.now() - started} ms`);
        throw err;
      },
    );
  }

  /** Where the API is, for messages about not reaching it. */
  get apiUrl(): string {
    return this.client.slackApiUrl;
  }

  /** Not retried: an unreachable Slack is reported at once, not after a minute of backoff. */
  authTest() {
    return this.call('auth.test', () => this.writer.auth.test());
  }

  usersList(args: UsersListArguments) {
    return this.call('users.list', () => this.client.users.list(args));
  }

  lookupByEmail(email: string) {
    return this.call('users.lookupByEmail', () => this.client.users.lookupByEmail({ email }));
  }

  usersInfo(user: string) {
    return this.call('users.info', () => this.client.users.info({ user }));
  }

  postMessage(args: ChatPostMessageArguments, options: SendOptions = {}) {
    return this.send('chat.postMessage', args.channel, () => this.writer.chat.postMessage(args), options);
  }

  /** chat.update sets the same content however often it runs, so the reading client's retries are safe. */
  update(args: ChatUpdateArguments, options: SendOptions = {}) {
    return this.send('chat.update', args.channel, () => this.client.chat.update(args), options);
  }

  private send<T>(method: string, channel: string, call: () => Promise<T>, options: SendOptions): Promise<T> {
    const run = async () => {
      await options.beforeSend?.();
      try {
        return await call();
      } catch (err) {
        if (isRateLimited(err)) await options.onRateLimited?.();
        throw err;
      }
    };
    return this.call(method, run, { channel, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** The members of a user group (slack.adminUserGroup). */
  async userGroupMembers(usergroup: string): Promise<string[]> {
    const res = await this.call('usergroups.users.list', () => this.client.usergroups.users.list({ usergroup }));
    return res.users ?? [];
  }

  /** The app's DM channel (D…) with a user. */
  conversationsOpen(user: string) {
    return this.call('conversations.open', () => this.client.conversations.open({ users: user }));
  }

  conversationsHistory(args: ConversationsHistoryArguments) {
    return this.call('conversations.history', () => this.client.conversations.history(args));
  }

  /**
   * files upload v2: getUploadURLExternal, the upload, completeUploadExternal. Like a post, never retried by the
   * client; `options` claims it when the gate lets it go, as for postMessage.
   */
  uploadFile(args: FilesUploadV2Arguments, options: SendOptions = {}) {
    const channel = 'channel_id' in args ? (args.channel_id ?? '') : '';
    return this.send('files.uploadV2', channel, () => this.writer.filesUploadV2(args), options);
  }
}
