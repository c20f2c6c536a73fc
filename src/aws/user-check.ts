import { GetLoginProfileCommand, GetUserCommand, ListMFADevicesCommand, type IAMClient } from '@aws-sdk/client-iam';
import { evaluateUser } from '../domain/evaluate-user.js';
import { partitionOfArn } from '../domain/mfa-device.js';
import type {
  AccountError,
  CheckSettings,
  CredentialReportRow,
  Exemption,
  Partition,
  Verdict,
} from '../domain/types.js';
import { describeAwsError } from './errors.js';

export interface IamUserRef {
  accountId: string;
  userName: string;
}

export type UserCheckResult =
  | {
      kind: 'checked';
      accountId: string;
      partition: Partition;
      userName: string;
      /** user-console-mfa first, then user-hardware-mfa when that check is on; exemptions applied. */
      verdicts: Verdict[];
      checkedAt: Date;
    }
  | { kind: 'not-found'; accountId: string; userName: string; checkedAt: Date }
  | { kind: 'error'; accountId: string; userName: string; error: AccountError; checkedAt: Date };

export interface UserCheckOptions {
  settings: CheckSettings;
  exemptions: readonly Exemption[];
  now: () => Date;
}

function isNoSuchEntity(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}

const ACCOUNT_OF_ARN = /^arn:[^:]+:iam::(\d{12}):/;

/**
 * Re-checks one IAM user live, in three IAM calls whatever the size of the account (GetUser,
 * GetLoginProfile, ListMFADevices; a user has at most 8 devices, so one page), and judges the answer with
 * the same checks a scan uses, by building the credential-report row the scan would have read.
 * The clients must belong to the user's account; a user in another account is an error, never a guess.
 */
export async function checkUserLive(
  iam: IAMClient,
  ref: IamUserRef,
  options: UserCheckOptions,
): Promise<UserCheckResult> {
  const { accountId, userName } = ref;
  const [user, profile, devices] = await Promise.allSettled([
    iam.send(new GetUserCommand({ UserName: userName })),
    iam.send(new GetLoginProfileCommand({ UserName: userName })),
    iam.send(new ListMFADevicesCommand({ UserName: userName })),
  ]);
  const checkedAt = options.now();
  const fail = (err: unknown): UserCheckResult => ({
    kind: 'error',
    accountId,
    userName,
    error: describeAwsError(err),
    checkedAt,
  });

  if (user.status === 'rejected')
    return isNoSuchEntity(user.reason) ? { kind: 'not-found', accountId, userName, checkedAt } : fail(user.reason);
  if (devices.status === 'rejected') return fail(devices.reason);
  // No login profile is the normal answer for a user without a console password.
  if (profile.status === 'rejected' && !isNoSuchEntity(profile.reason)) return fail(profile.reason);

  const arn = user.value.User?.Arn ?? '';
  const arnAccount = ACCOUNT_OF_ARN.exec(arn)?.[1];
  if (arnAccount !== accountId) {
    return fail(
      Object.assign(new Error(`these AWS credentials reach account ${arnAccount ?? 'unknown'}, not ${accountId}`), {
        name: 'AccountMismatch',
      }),
    );
  }
  const partition = partitionOfArn(arn) ?? 'aws';
  const loginProfile = profile.status === 'fulfilled' ? profile.value.LoginProfile : undefined;
  const serials = (devices.value.MFADevices ?? []).map((d) => d.SerialNumber).filter((s): s is string => Boolean(s));

  const row: CredentialReportRow = {
    line: 0,
    user: userName,
    arn,
    userCreationTime: user.value.User?.CreateDate ?? null,
    passwordEnabled: loginProfile !== undefined,
    passwordLastUsed: user.value.User?.PasswordLastUsed ?? null,
    // The credential report's password_last_changed has no live API; the login profile's creation date is
    // when the console password was first set, which is what the grace period counts from for a new user.
    passwordLastChanged: loginProfile?.CreateDate ?? null,
    mfaActive: serials.length > 0,
    // Access keys play no part in the per-user checks.
    accessKey1Active: false,
    accessKey2Active: false,
  };
  const verdicts = evaluateUser(
    {
      accountId,
      partition,
      credentialReport: { generatedAt: checkedAt, rows: [row] },
      userMfaDevices: { [userName]: serials },
    },
    userName,
    { settings: options.settings, now: checkedAt },
    options.exemptions,
  );
  return { kind: 'checked', accountId, partition, userName, verdicts, checkedAt };
}
