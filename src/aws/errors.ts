import type { AccountError } from '../domain/types.js';

interface SdkLikeError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const HINTS: Array<[RegExp, string]> = [
  [
    /^(AccessDenied|AccessDeniedException|UnauthorizedOperation)$/,
    'the credentials lack a permission mfa-bot needs: attach policy/mfa-bot-readonly.json',
  ],
  [
    /^(ExpiredToken|ExpiredTokenException|RequestExpired)$/,
    'the credentials have expired: refresh them (for example `aws sso login`) and try again',
  ],
  [
    /^(InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClientException|InvalidAccessKeyId)$/,
    'the access key is not valid for this account or partition',
  ],
  [
    /^CredentialsProviderError$/,
    'no AWS credentials found: give a profile that has credentials (--profile or AWS_PROFILE; ' +
      '`aws sso login` for an SSO profile), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
  ],
  [
    /^(Throttling|ThrottlingException|TooManyRequestsException|RequestLimitExceeded)$/,
    'AWS kept throttling after every retry: scan fewer accounts at once or try again later',
  ],
  [/^AccountTimeout$/, 'raise organization.accountTimeoutSeconds, or look for throttling in this account'],
  [/^CredentialReportTimeout$/, 'AWS did not finish the credential report in time: try again in a few minutes'],
  [
    /^(NetworkError|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|TimeoutError)$/,
    'the AWS endpoint could not be reached: check the network, proxy and AWS_ENDPOINT_URL',
  ],
];

/** Turns anything the SDK throws into a code, a one-line message and a hint; never a stack trace. */
export function describeAwsError(err: unknown): AccountError {
  const e = (err ?? {}) as SdkLikeError;
  let code = e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'UnknownError');
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(e.code ?? ''))
    code = 'NetworkError';
  const message = (e.message ?? String(err)).split('\n')[0]!.trim() || code;
  const hint = HINTS.find(([re]) => re.test(code))?.[1];
  return { code, message, ...(hint ? { hint } : {}) };
}
