import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, AwsLambdaReceiver, HTTPReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { registerListeners } from './listeners/index.js';
import { SlackApi } from '../slack/api.js';
import { adminsFromConfig, type AdminCheck } from './admins.js';
import { dedupeDeliveries, requestClaimsOf } from './dedupe.js';
import type { BotDeps } from './deps.js';
import { guardSlackEndpoint } from './http-guard.js';
import { guardLambdaHandler } from './lambda-guard.js';
import { boltLogger } from './logger.js';
import { personLimits, type PersonLimits } from './person-limits.js';
import { describeError } from './respond.js';
import type { ServeSettings } from './serve-settings.js';

export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

export interface CreateBotAppOptions {
  settings: ServeSettings;
  deps: Omit<BotDeps, 'admins' | 'limits'> & { admins?: AdminCheck; limits?: PersonLimits };
  /** HTTP only: the interface to listen on; every interface when absent. */
  host?: string;
  /** Overrides for the Web API client (tests shorten its retries). */
  clientOptions?: Partial<WebClientOptions>;
  /** Socket Mode only. */
  socket?: { autoReconnect?: boolean; clientPingTimeoutMs?: number; serverPingTimeoutMs?: number };
}

export type LambdaHandler = ReturnType<AwsLambdaReceiver['toHandler']>;

export interface BotApp {
  app: App;
  transport: 'socket' | 'http' | 'lambda';
  /** Lambda only: the function handler (API Gateway event in, HTTP response out); the signature is checked. */
  lambdaHandler?: LambdaHandler;
  /** Resolves once requests can arrive: the HTTP server listens, or the socket has said hello. */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

function healthz(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end('ok\n');
}

/**
 * The Bolt app with every listener, over Socket Mode, HTTP or AWS Lambda. The Web API client honours SLACK_API_URL
 * (`slackApiUrl`), including the Socket Mode client's apps.connections.open. Retried deliveries are dropped
 * by a global middleware, claimed in the state store when the ports have one (so across replicas). The bot
 * token is checked with auth.test before anything starts.
 */
export async function createBotApp(options: CreateBotAppOptions): Promise<BotApp> {
  const { settings, deps } = options;
  const logger = boltLogger(deps.log, 'bolt');
  const clientOptions: WebClientOptions = {
    slackApiUrl: settings.apiUrl,
    logger: boltLogger(deps.log, 'slack-web-api'),
    // An interactive answer that waits minutes is no answer: a few quick retries for 5xx and network blips.
    retryConfig: { retries: 3, factor: 2, minTimeout: 250, maxTimeout: 3_000, randomize: true },
    timeout: 15_000,
    ...options.clientOptions,
  };

  let receiver: Receiver;
  let lambdaReceiver: AwsLambdaReceiver | undefined;
  if (settings.transport.kind === 'lambda') {
    // Bolt answers only after the listener finishes (nothing may run after a Lambda response): listeners ack
    // first and hand anything slow to the Deferrer.
    receiver = lambdaReceiver = new AwsLambdaReceiver({ signingSecret: settings.transport.signingSecret, logger });
  } else if (settings.transport.kind === 'socket') {
    receiver = new SocketModeReceiver({
      appToken: settings.transport.appToken,
      logger,
      installerOptions: {
        clientOptions: {
          slackApiUrl: settings.apiUrl,
          ...(options.clientOptions?.retryConfig ? { retryConfig: options.clientOptions.retryConfig } : {}),
        },
      },
      ...(options.socket?.autoReconnect !== undefined ? { autoReconnectEnabled: options.socket.autoReconnect } : {}),
      ...(options.socket?.clientPingTimeoutMs ? { clientPingTimeout: options.socket.clientPingTimeoutMs } : {}),
      ...(options.socket?.serverPingTimeoutMs ? { serverPingTimeout: options.socket.serverPingTimeoutMs } : {}),
    });
  } else {
    const http = new HTTPReceiver({
      signingSecret: settings.transport.signingSecret,
      endpoints: EVENTS_PATH,
      port: settings.transport.port,
      customRoutes: [{ path: HEALTH_PATH, method: ['GET'], handler: healthz }],
      logger,
      // A long-lived process keeps working after the response; acknowledging first keeps Slack's 3 seconds.
      processBeforeResponse: false,
    });
    http.requestListener = guardSlackEndpoint(http.requestListener, {
      path: EVENTS_PATH,
      signingSecret: settings.transport.signingSecret,
      log: deps.log,
    });
    receiver = http;
  }

  const app = new App({
    token: settings.botToken,
    receiver,
    logger,
    clientOptions,
    deferInitialization: true,
    ignoreSelf: true,
  });
  await app.init();
  const admins = deps.admins ?? adminsFromConfig(deps.config, new SlackApi(app.client), deps.log);
  app.use(dedupeDeliveries(requestClaimsOf(deps.ports), deps.log));
  app.error(async (error) => deps.log.error(`unhandled error in a listener: ${describeError(error)}`));
  registerListeners(app, { ...deps, admins, limits: deps.limits ?? personLimits(deps.now) });

  const transport = settings.transport;
  return {
    app,
    transport: transport.kind,
    ...(lambdaReceiver && transport.kind === 'lambda'
      ? {
          lambdaHandler: guardLambdaHandler(lambdaReceiver.toHandler(), {
            signingSecret: transport.signingSecret,
            log: deps.log,
          }),
        }
      : {}),
    async start() {
      if (transport.kind === 'lambda') throw new Error('a Lambda app does not listen: call lambdaHandler');
      if (transport.kind === 'socket') {
        await app.start();
        return {};
      }
      const server = (await app.start(
        options.host ? { port: transport.port, host: options.host } : transport.port,
      )) as Server;
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      await app.stop();
    },
  };
}
