import { identityKey, type SlackIdentity } from '../../src/domain/identity.js';
import type { LedgerMessage, MessageKind, NudgeCase } from '../../src/domain/ledger.js';
import type { NudgeSettings } from '../../src/domain/nudge-plan.js';
import type { AccountResult, ScanResult, Verdict } from '../../src/domain/types.js';
import { ACCOUNT, failingUser, graceUser, passingUser } from '../slack/blocks/factories.js';

export { ACCOUNT, failingUser, graceUser, passingUser };

/** Monday 2026-11-23 10:00 UTC. */
export const MONDAY_10 = new Date('2026-11-23T10:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const SETTINGS: NudgeSettings = {
  cadenceDays: [2, 5, 10],
  repeatEveryDays: 7,
  escalateAfter: 3,
  workingHours: { startMinute: 9 * 60, endMinute: 17 * 60, days: new Set([1, 2, 3, 4, 5]) },
  defaultTimeZone: 'UTC',
};

export function accountOf(verdicts: Verdict[], over: Partial<AccountResult> = {}): AccountResult {
  return {
    accountId: ACCOUNT,
    partition: 'aws',
    alias: 'prod',
    credentialReportGeneratedAt: new Date('2026-11-23T08:00:00Z'),
    rootMfa: 'hardware',
    verdicts,
    ...over,
  };
}

export function scanOf(verdicts: Verdict[], over: Partial<AccountResult> = {}, at = MONDAY_10): ScanResult {
  return { generatedAt: at, accounts: [accountOf(verdicts, over)] };
}

export function mapped(entries: Array<[string, string, string?]>): Map<string, SlackIdentity> {
  return new Map(
    entries.map(([user, slackUserId, tz]) => [
      identityKey(ACCOUNT, user),
      { slackUserId, via: 'email-tag' as const, ...(tz ? { tz } : {}) },
    ]),
  );
}

export function openCase(userName: string, over: Partial<NudgeCase> = {}): NudgeCase {
  return { accountId: ACCOUNT, userName, cycle: 1, openedAt: MONDAY_10, openedStatus: 'fail', messages: [], ...over };
}

let claims = 0;
export function sent(step: string, at: Date, over: Partial<LedgerMessage> = {}): LedgerMessage {
  const kind: MessageKind =
    step === 'escalation'
      ? 'escalation'
      : step === 'thank-you'
        ? 'thank-you'
        : step === 'resolved-update'
          ? 'resolved-update'
          : 'nudge';
  return {
    step,
    kind,
    recipient: 'UANN0000001',
    claimId: `claim-${++claims}`,
    claimedAt: at,
    attempts: 1,
    state: 'sent',
    sentAt: at,
    channel: 'D0ANN00001',
    ts: `${at.getTime() / 1000}.000100`,
    ...over,
  };
}
