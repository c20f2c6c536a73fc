import { inOrganizationScope } from '../jobs/org-scan.js';
import { recheckAfterIamChange, type IamChange, type RealtimeOutcome } from '../jobs/realtime-recheck.js';
import { containerRuntime, type LambdaRuntime } from './runtime.js';

/** The IAM calls the EventBridge rule forwards (see serverless.yml). */
export const IAM_EVENT_NAMES = [
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'DeleteLoginProfile',
  'EnableMFADevice',
  'DeactivateMFADevice',
  'DeleteVirtualMFADevice',
  'CreateUser',
] as const;

/** The parts of an "AWS API Call via CloudTrail" event this function reads. */
export interface CloudTrailEvent {
  account?: string;
  'detail-type'?: string;
  detail?: {
    eventName?: string;
    recipientAccountId?: string;
    errorCode?: string;
    requestParameters?: { userName?: string } | null;
    userIdentity?: { arn?: string };
  };
}

const ACCOUNT_ID = /^\d{12}$/;
const USER_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * The account and IAM user a CloudTrail IAM event is about; undefined for a failed call or one that does not
 * name a user (DeleteVirtualMFADevice names the device only; the DeactivateMFADevice before it names the user).
 */
export function iamChangeOf(event: CloudTrailEvent): IamChange | undefined {
  const detail = event.detail;
  const eventName = detail?.eventName;
  if (!detail || !eventName || !(IAM_EVENT_NAMES as readonly string[]).includes(eventName) || detail.errorCode)
    return undefined;
  const accountId = detail.recipientAccountId ?? event.account;
  const userName = detail.requestParameters?.userName;
  if (!accountId || !ACCOUNT_ID.test(accountId) || !userName || !USER_NAME.test(userName)) return undefined;
  return { accountId, userName, eventName, ...(detail.userIdentity?.arn ? { actor: detail.userIdentity.arn } : {}) };
}

export type RealtimeResult = RealtimeOutcome | { result: 'ignored' };

export async function runRealtime(event: CloudTrailEvent, runtime: LambdaRuntime): Promise<RealtimeResult> {
  const change = iamChangeOf(event);
  if (!change) {
    runtime.log.info(`ignored ${event.detail?.eventName ?? 'an event'}: it names no IAM user, or the call failed`);
    return { result: 'ignored' };
  }
  const org = runtime.config.organization;
  if (org && !inOrganizationScope(org, change.accountId)) {
    runtime.log.info(
      `ignored ${change.eventName} on ${change.userName} in ${change.accountId}: ` +
        'the account is outside organization.accounts / excludeAccounts',
    );
    return { result: 'ignored' };
  }
  const outcome = await recheckAfterIamChange(change, {
    ...runtime,
    recheck: (ref) => runtime.ports.recheck(ref),
    log: (line) => runtime.log.warn(line),
  });
  const details = [outcome.nudge ? `DM ${outcome.nudge}` : '', outcome.alert ? `alert ${outcome.alert}` : '']
    .filter(Boolean)
    .join(', ');
  runtime.log.info(
    `${change.eventName} on ${change.userName} in ${change.accountId}: ` +
      `${outcome.result}${details ? ` (${details})` : ''}`,
  );
  return outcome;
}

export async function handler(event: CloudTrailEvent): Promise<RealtimeResult> {
  return runRealtime(event, await containerRuntime());
}
