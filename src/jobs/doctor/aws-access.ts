import { describeAwsError } from '../../aws/errors.js';
import { ok, skip, type DoctorCheck } from './check.js';

/** Error codes by which AWS refuses a call for want of a permission (IAM, STS, Organizations, JSON services). */
const DENIED = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError)$/;
/** The credentials themselves do not work: every later call would fail the same way. */
const BAD_CREDENTIALS = new RegExp(
  '^(ExpiredToken|ExpiredTokenException|RequestExpired|InvalidClientTokenId|SignatureDoesNotMatch|' +
    'UnrecognizedClientException|InvalidAccessKeyId|CredentialsProviderError|NetworkError)$',
);

export type CallOutcome<T> =
  | { kind: 'answered'; value: T }
  /** AWS let the call through and answered with an error about the request itself (no such user, report not ready). */
  | { kind: 'permitted'; code: string }
  | { kind: 'denied'; code: string; message: string }
  | { kind: 'broken'; code: string; message: string; hint?: string };

/** Makes one AWS call and says whether the credentials may make it, whatever the answer. */
export async function tryCall<T>(call: () => Promise<T>): Promise<CallOutcome<T>> {
  try {
    return { kind: 'answered', value: await call() };
  } catch (err) {
    const e = describeAwsError(err);
    if (DENIED.test(e.code)) return { kind: 'denied', code: e.code, message: e.message };
    if (BAD_CREDENTIALS.test(e.code) || (err as { $metadata?: unknown }).$metadata === undefined)
      return { kind: 'broken', code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
    return { kind: 'permitted', code: e.code };
  }
}

export const DOCTOR_POLICY = 'policy/mfa-bot-doctor.json';

export const codeOf = (o: CallOutcome<unknown>): string => ('code' in o ? o.code : 'answered');

export const why = (o: { code: string; message: string }) =>
  o.message && o.message !== o.code ? `${o.code}: ${o.message}` : o.code;

/** A read only doctor makes (the bot never does): refused, it is skipped, not failed, and says how to allow it. */
export function doctorOnly(name: string, outcome: CallOutcome<unknown>, okDetail: string): DoctorCheck | undefined {
  if (outcome.kind === 'denied')
    return skip(
      'aws',
      name,
      `not permitted (${outcome.code}); mfa-bot itself never calls it, so this was not checked ` +
        `(attach ${DOCTOR_POLICY} to check it)`,
    );
  if (outcome.kind === 'answered') return ok('aws', name, okDetail);
  return undefined;
}
