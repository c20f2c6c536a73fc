import { parseConfig } from '../../../src/config/load.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { startServer, type ServerHandle, type StartServerOptions } from '../../../src/cli/serve-command.js';
import { lineLogger } from '../../../src/bot/logger.js';
import { createUsers, motoClients, type UserSpec } from '../../support/aws.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack/index.js';
import { startMoto, type MotoServer } from '../../support/moto/index.js';
import { ResponseCatcher } from './response-catcher.js';
import { appHomeOpened, blockActions, slashCommand, type ButtonPress } from './payloads.js';
import { signedPost, type Body, type SignedPostOptions } from './sign.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const SECURITY_CHANNEL = 'C0SECURITY1';
export const ADMIN = 'UADMIN00001';
export const GROUP_ADMIN = 'UGROUPADM01';
export const ADMIN_GROUP = 'S0ADMINS001';
export const ANN = 'UANN0000001';
export const BOB = 'UBOB0000001';

/**
 * ann has one login without MFA (mapped by its e-mail tag) and one with; bob has MFA; nobody maps to carol,
 * who has no console password. A scan reads the tags of failing users only, so those with MFA are mapped
 * by the config, as a rule that needs no tag.
 */
export const IAM_USERS: UserSpec[] = [
  { name: 'ann.smith', password: true, tags: { email: 'ann@example.com' } },
  { name: 'ann.ops', password: true, mfa: 'virtual' },
  { name: 'bob', password: true, mfa: 'virtual' },
  { name: 'carol' },
];

export const BASE_CONFIG: ConfigInput = {
  checks: { gracePeriodDays: 0 },
  slack: { digestChannel: SECURITY_CHANNEL, admins: [ADMIN], adminUserGroup: ADMIN_GROUP },
  identity: { map: { 'ann.ops': ANN, bob: BOB } },
};

export interface BotWorld {
  moto: MotoServer;
  slack: FakeSlack;
  responses: ResponseCatcher;
  server: ServerHandle;
  /** http://127.0.0.1:PORT (HTTP mode only) */
  base: string;
  logs: string[];
  post(body: Body, options?: SignedPostOptions): Promise<Response>;
  /** Sends /mfa-check and returns the HTTP answer (the acknowledgement); the answer arrives at responses.url(id). */
  command(
    text: string,
    userId: string,
    id: string,
    options?: SignedPostOptions & { form?: Record<string, string> },
  ): Promise<Response>;
  press(
    press: Omit<ButtonPress, 'responseUrl'> & { responseId: string },
    options?: SignedPostOptions,
  ): Promise<Response>;
  openHome(userId: string, eventId?: string, options?: SignedPostOptions): Promise<Response>;
  /** Posts the nudge DM the scheduler would have sent, so a button can be pressed on it. */
  postNudge(userId: string): Promise<{ channel: string; ts: string }>;
  stop(): Promise<void>;
}

export const APP_TOKEN = 'xapp-1-A0FAKE-1-fakeapptoken';

export interface WorldOptions {
  config?: ConfigInput;
  users?: UserSpec[];
  /** Socket Mode (SLACK_APP_TOKEN) instead of HTTP. */
  socketMode?: boolean;
  /** The root credential deleter behind "Delete root credentials", given this world's emulator. */
  rootCredentials?: (moto: MotoServer) => StartServerOptions['rootCredentials'];
}

export async function startBotWorld(options: WorldOptions = {}): Promise<BotWorld> {
  const { config = BASE_CONFIG, users = IAM_USERS } = options;
  const [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
  const responses = new ResponseCatcher();
  await responses.start();
  slack.addChannel({ id: SECURITY_CHANNEL, name: 'security' });
  for (const [id, name] of [
    [ADMIN, 'admin'],
    [GROUP_ADMIN, 'groupadmin'],
    [ANN, 'ann'],
    [BOB, 'bob'],
  ] as const) {
    slack.addUser({ id, name, email: `${name}@example.com` });
  }
  slack.addUserGroup({ id: ADMIN_GROUP, handle: 'mfa-admins', users: [GROUP_ADMIN] });
  slack.addAppToken(APP_TOKEN);
  const aws = motoClients(moto);
  await createUsers(aws.iam, users);

  const logs: string[] = [];
  const server = await startServer({
    config: parseConfig(config),
    env: {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.url,
      ...(options.socketMode ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET, PORT: '0' }),
    },
    log: lineLogger((line) => logs.push(line), 'debug'),
    aws,
    host: '127.0.0.1',
    ...(options.rootCredentials ? { rootCredentials: options.rootCredentials(moto) } : {}),
    clientOptions: { retryConfig: { retries: 0 } },
    socket: { autoReconnect: false },
  });
  await server.firstScan;
  const base = `http://127.0.0.1:${server.port}`;
  const post = (body: Body, options: SignedPostOptions = {}) =>
    signedPost(`${base}/slack/events`, SIGNING_SECRET, body, options);

  return {
    moto,
    slack,
    responses,
    server,
    base,
    logs,
    post,
    command: (text, userId, id, options = {}) =>
      post({ form: slashCommand(text, userId, responses.url(id), options.form) }, options),
    press: ({ responseId, ...p }, options = {}) =>
      post(
        { form: { payload: JSON.stringify(blockActions({ ...p, responseUrl: responses.url(responseId) })) } },
        options,
      ),
    openHome: (userId, eventId, options = {}) => post({ json: appHomeOpened(userId, eventId) }, options),
    async postNudge(userId) {
      const res = (await fetch(`${slack.url}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: userId, text: 'Please turn on MFA' }),
      }).then((r) => r.json())) as { channel: string; ts: string };
      return { channel: res.channel, ts: res.ts };
    },
    async stop() {
      await server.stop();
      await Promise.all([moto.stop(), slack.stop(), responses.stop()]);
    },
  };
}

/** The text Slack would show for an answer: its blocks' text, joined. */
export function answerText(body: Record<string, unknown>): string {
  return JSON.stringify(body.blocks ?? body.text ?? '');
}
