import { randomUUID } from 'node:crypto';
import type { LambdaHandler } from '../../src/bot/create-app.js';
import { encodeBody, slackSignature, type Body } from '../bot/harness/sign.js';

export type ApiGatewayEvent = Parameters<LambdaHandler>[0];

export interface SignOptions {
  secret?: string;
  timestamp?: number;
}

/**
 * A Slack request as API Gateway (HTTP API, payload format 2.0) hands it to Lambda: lower-case headers, base64 body.
 */
export function httpApiEvent(body: Body, signingSecret: string, options: SignOptions = {}): ApiGatewayEvent {
  const { raw, contentType } = encodeBody(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: {
      accept: 'application/json,*/*',
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(raw)),
      host: 'abc123.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-forwarded-proto': 'https',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(options.secret ?? signingSecret, timestamp, raw),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'POST',
        path: '/slack/events',
        protocol: 'HTTP/1.1',
        sourceIp: '3.4.5.6',
        userAgent: 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      requestId: randomUUID(),
      routeKey: 'POST /slack/events',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: Buffer.from(raw).toString('base64'),
    isBase64Encoded: true,
  } as unknown as ApiGatewayEvent;
}

/** What EventBridge delivers for an IAM call CloudTrail recorded (IAM events arrive in us-east-1). */
export function cloudTrailIamEvent(
  eventName: string,
  accountId: string,
  requestParameters: Record<string, unknown> | null,
  extra: Record<string, unknown> = {},
) {
  const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: accountId,
    time,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLE',
        arn: `arn:aws:iam::${accountId}:user/admin`,
        accountId,
        userName: 'admin',
      },
      eventTime: time,
      eventSource: 'iam.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: '3.4.5.6',
      userAgent: 'AWS Internal',
      requestParameters,
      responseElements: null,
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: accountId,
      eventCategory: 'Management',
      ...extra,
    },
  };
}

/** An EventBridge Scheduler target input is delivered as is. */
export function scheduledEvent(job: 'scan' | 'nudges') {
  return { job };
}
