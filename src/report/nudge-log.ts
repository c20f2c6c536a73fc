import { REALTIME_ALERT_STEP, type CaseResolution, type LedgerMessage, type NudgeCase } from '../domain/ledger.js';
import type { HelpRequest, SnoozeRecord } from '../store/store.js';

export type NudgeLogEvent =
  | 'failing'
  | 'nudged'
  | 'escalated'
  | 'updated'
  | 'thanked'
  | 'snoozed'
  | 'help requested'
  | 'resolved'
  | 'final notice'
  | 'enforcement requested'
  | 'enforced'
  | 'lifted';

/** One line of a user's audit trail. */
export interface NudgeLogEntry {
  at: Date;
  accountId: string;
  userName: string;
  cycle?: number;
  event: NudgeLogEvent;
  detail: string;
  /**
   * The ledger record behind the line: `case ACCOUNT/USER#CYCLE` for the case itself, `… step STEP, claim ID` for a
   * message, and the case and time for a snooze (a help request: its request ID when it has one).
   */
  ref: string;
}

const caseRef = (accountId: string, userName: string, cycle: number | undefined) =>
  `case ${accountId}/${userName}#${cycle ?? '?'}`;

const RESOLVED: Record<CaseResolution, string> = {
  fixed: 'fixed: MFA is on',
  'no-console': 'resolved: the console password was removed',
  exempt: 'resolved: an exemption now covers this user',
  gone: 'resolved: the IAM user no longer exists',
};

const EVENT: Record<LedgerMessage['kind'], NudgeLogEvent> = {
  nudge: 'nudged',
  escalation: 'escalated',
  'thank-you': 'thanked',
  'resolved-update': 'updated',
  digest: 'nudged',
  'final-notice': 'final notice',
  'enforcement-request': 'enforcement requested',
  'enforcement-update': 'updated',
  enforced: 'enforced',
  'enforced-notice': 'enforced',
  lifted: 'lifted',
  // Not a user's: a root deletion has no case, so it never reaches a user's log (`history` lists it per account).
  'root-credentials-deleted': 'updated',
};

const ORDER: Record<NudgeLogEvent, number> = {
  failing: 0,
  snoozed: 1,
  'help requested': 1,
  nudged: 2,
  escalated: 3,
  'final notice': 3,
  'enforcement requested': 3,
  enforced: 3,
  resolved: 4,
  lifted: 5,
  updated: 5,
  thanked: 6,
};

/** The require-MFA policy steps are IAM writes, not messages. */
const POLICY_STEP: Partial<Record<LedgerMessage['kind'], string>> = {
  enforced: 'require-MFA policy attached',
  lifted: 'require-MFA policy detached',
};

/** Who took an IAM step: a Slack user ID is written as Slack mentions it, `<@U…>`, so it can be pasted back. */
function decidedBy(m: LedgerMessage): string {
  if (!m.by) return '';
  if (m.by === 'mfa-on') return ', automatically: MFA is on, or the case ended';
  if (m.by === 'auto') return ', without approval (enforcement.approval: auto)';
  return m.kind === 'lifted' ? `, lifted by <@${m.by}>` : `, decided by <@${m.by}>`;
}

function nudgeStepName(step: string): string {
  if (step === 'grace') return 'grace nudge';
  if (step === 'nudge-1') return 'first nudge';
  return `reminder ${Number(step.slice(6)) - 1}`;
}

function messageDetail(m: LedgerMessage): string {
  const policy = POLICY_STEP[m.kind];
  if (policy) {
    const pending: Partial<Record<LedgerMessage['state'], string>> = {
      claimed: ' (in progress, or interrupted)',
      failed: ` (AWS refused: ${m.error ?? 'error'}; to be retried)`,
      abandoned: ` (AWS refused ${m.attempts} times: ${m.error ?? 'error'}; given up)`,
    };
    return `${policy}${decidedBy(m)}${pending[m.state] ?? ''}`;
  }
  const where =
    m.kind === 'escalation' || m.kind === 'enforcement-request'
      ? `to channel ${m.recipient}`
      : m.kind === 'resolved-update' || m.kind === 'enforcement-update'
        ? `message ${m.ts ?? '?'} in ${m.channel ?? m.recipient}`
        : `DM to ${m.recipient}${m.channel ? ` in ${m.channel}` : ''}`;
  const step =
    m.kind === 'nudge'
      ? `${nudgeStepName(m.step)}, `
      : m.step === REALTIME_ALERT_STEP
        ? 'alert after a CloudTrail event, '
        : '';
  const state: Record<LedgerMessage['state'], string> = {
    sent: m.ts && m.kind !== 'resolved-update' && m.kind !== 'enforcement-update' ? ` (ts ${m.ts})` : '',
    unconfirmed: ' (interrupted; Slack could not confirm it, so it was not sent again)',
    claimed: ' (being sent, or interrupted)',
    failed: ` (refused by Slack: ${m.error ?? 'error'}; to be retried)`,
    abandoned: ` (refused by Slack ${m.attempts} times: ${m.error ?? 'error'}; given up)`,
  };
  return `${step}${where}${state[m.state]}`;
}

/** Everything the ledger knows about some IAM users, oldest first: for audits. */
export function nudgeLog(
  cases: readonly NudgeCase[],
  snoozes: readonly SnoozeRecord[],
  help: readonly HelpRequest[],
): NudgeLogEntry[] {
  const out: NudgeLogEntry[] = [];
  for (const c of cases) {
    // Fields written out, not spread from a shared object: measured on bench:report's 75,000 messages, the spread
    // copies survived young-generation collections, and some 75 MB of short-lived lines reached the old generation.
    const { accountId, userName, cycle } = c;
    const ref = caseRef(accountId, userName, cycle);
    out.push({
      accountId,
      userName,
      cycle,
      at: c.openedAt,
      ref,
      event: 'failing',
      detail:
        c.openedStatus === 'grace'
          ? 'first seen without MFA, in grace'
          : `first seen failing${c.cycle > 1 ? ' again (relapse)' : ''}`,
    });
    for (const m of c.messages) {
      out.push({
        accountId,
        userName,
        cycle,
        at: m.sentAt ?? m.claimedAt,
        event: EVENT[m.kind],
        detail: messageDetail(m),
        ref: `${ref} step ${m.step}, claim ${m.claimId}`,
      });
    }
    if (c.resolvedAt) {
      const detail = RESOLVED[c.resolution ?? 'fixed'];
      out.push({ accountId, userName, cycle, at: c.resolvedAt, event: 'resolved', detail, ref });
    }
  }
  for (const s of snoozes) {
    out.push({
      accountId: s.accountId,
      userName: s.userName,
      ...(s.cycle ? { cycle: s.cycle } : {}),
      at: s.at,
      event: 'snoozed',
      detail: `until ${s.until.toISOString()}${s.by ? ` by ${s.by}` : ''}`,
      ref: `${caseRef(s.accountId, s.userName, s.cycle)} snooze at ${s.at.toISOString()}`,
    });
  }
  for (const h of help) {
    out.push({
      accountId: h.accountId,
      userName: h.userName,
      at: h.at,
      event: 'help requested',
      detail: `by ${h.slackUserId}${h.channel ? ` in ${h.channel}` : ''}`,
      ref: h.requestId
        ? `help request ${h.requestId}`
        : `help request ${h.accountId}/${h.userName} at ${h.at.toISOString()}`,
    });
  }
  // Same instant (one run records several things at once): in the order they happen in a case.
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || ORDER[a.event] - ORDER[b.event]);
}
