import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

export interface AwsOptions {
  profile?: string;
  region?: string;
  /** Attempts per call, including the first; throttling is retried with the SDK's adaptive mode. */
  maxAttempts?: number;
}

export interface AwsClients {
  iam: IAMClient;
  sts: STSClient;
}

/**
 * The SDK's default chain does the rest: environment, shared profile, SSO, container and instance roles,
 * and the standard AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_IAM overrides.
 */
export function createAwsClients(options: AwsOptions = {}): AwsClients {
  const common = {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    ...(options.profile ? { profile: options.profile } : {}),
  };
  return { iam: new IAMClient(common), sts: new STSClient(common) };
}
