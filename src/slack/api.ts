import type {
  ChatPostMessageArguments,
  ChatUpdateArguments,
  ConversationsHistoryArguments,
  FilesUploadV2Arguments,
  UsersListArguments,
  WebClient,
} from '@slack/web-api';
import { RateLimitGate } from './rate-limit.js';

/**
 * The Slack Web API methods mfa-bot uses, each behind the rate-limit gate. Everything in the bot talks to
 * Slack through this, so there is one place that knows about 429s.
 */
export class SlackApi {
  constructor(
    readonly client: WebClient,
    private readonly gate: RateLimitGate = new RateLimitGate(),
  ) {}

  authTest() {
    return this.gate.call('auth.test', () => this.client.auth.test());
  }

  usersList(args: UsersListArguments) {
    return this.gate.call('users.list', () => this.client.users.list(args));
  }

  lookupByEmail(email: string) {
    return this.gate.call('users.lookupByEmail', () => this.client.users.lookupByEmail({ email }));
  }

  usersInfo(user: string) {
    return this.gate.call('users.info', () => this.client.users.info({ user }));
  }

  postMessage(args: ChatPostMessageArguments) {
    return this.gate.call('chat.postMessage', () => this.client.chat.postMessage(args));
  }

  update(args: ChatUpdateArguments) {
    return this.gate.call('chat.update', () => this.client.chat.update(args));
  }

  /** The app's DM channel (D…) with a user. */
  conversationsOpen(user: string) {
    return this.gate.call('conversations.open', () => this.client.conversations.open({ users: user }));
  }

  conversationsHistory(args: ConversationsHistoryArguments) {
    return this.gate.call('conversations.history', () => this.client.conversations.history(args));
  }

  /** files upload v2: getUploadURLExternal, the upload, completeUploadExternal. */
  uploadFile(args: FilesUploadV2Arguments) {
    return this.gate.call('files.uploadV2', () => this.client.filesUploadV2(args));
  }
}
