import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { liftCredentialReportContent } from './credential-report-content.js';
import { BoundedRetryStrategy } from './retry.js';

export interface AwsOptions {
  profile?: string;
  region?: string;
  /** Attempts per call, including the first; throttling and transient errors are retried with short backoff (retry.ts). */
  maxAttempts?: number;
  /** Overrides for tests and benchmarks; normally the SDK's chain and AWS_ENDPOINT_URL decide. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface AwsClients {
  iam: IAMClient;
  sts: STSClient;
}

/**
 * The configuration every AWS client of mfa-bot shares. The SDK's default chain does the rest: environment,
 * shared profile, SSO, container and instance roles, and the standard AWS_ENDPOINT_URL(_IAM, _STS...) overrides.
 */
export function clientConfig(options: AwsOptions = {}) {
  const maxAttempts = options.maxAttempts ?? 8;
  return {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    maxAttempts,
    retryStrategy: new BoundedRetryStrategy(maxAttempts),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

export function createAwsClients(options: AwsOptions = {}): AwsClients {
  const common = clientConfig(options);
  return { iam: liftCredentialReportContent(new IAMClient(common)), sts: new STSClient(common) };
}
