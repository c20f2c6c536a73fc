import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { liftCredentialReportContent } from './credential-report-content.js';
import { BoundedRetryStrategy } from './retry.js';
import { checkProfile, checkRegion, sdkLogger } from './setup.js';

export interface AwsOptions {
  profile?: string;
  region?: string;
  /**
   * Attempts per call, including the first; throttling and transient errors are retried with short backoff (retry.ts).
   */
  maxAttempts?: number;
  /** Overrides for tests and benchmarks; normally the SDK's chain and AWS_ENDPOINT_URL decide. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Where the SDK's warnings go, one line each (default: stderr). */
  warn?: (line: string) => void;
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
  const region = resolveRegion(options);
  checkRegion(region.name, region.source);
  return {
    region: region.name,
    maxAttempts,
    logger: sdkLogger(options.warn ?? ((line) => process.stderr.write(`${line}\n`)), options.profile),
    retryStrategy: new BoundedRetryStrategy(maxAttempts),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

/** The region the clients use, and where it came from (for messages). */
export function resolveRegion(options: AwsOptions): { name: string; source: string } {
  if (options.region) return { name: options.region, source: 'from --region' };
  for (const key of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const value = process.env[key];
    if (value) return { name: value, source: `from ${key}` };
  }
  return { name: 'us-east-1', source: 'the default' };
}

/**
 * Clients for the CLI and the bot, after refusing settings that cannot work before anything is called:
 * an unknown region (clientConfig) and a named profile that no AWS config file defines.
 */
export async function openAwsClients(options: AwsOptions = {}): Promise<AwsClients> {
  const clients = createAwsClients(options);
  if (!options.credentials) {
    if (options.profile) await checkProfile(options.profile, 'from --profile');
    else if (process.env.AWS_PROFILE) await checkProfile(process.env.AWS_PROFILE, 'from AWS_PROFILE');
  }
  return clients;
}

export function createAwsClients(options: AwsOptions = {}): AwsClients {
  const common = clientConfig(options);
  return { iam: liftCredentialReportContent(new IAMClient(common)), sts: new STSClient(common) };
}
