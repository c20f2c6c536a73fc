import { isoDate } from '../dates.js';
import { deliveredAt, occupies, type CaseStep, type LedgerMessage, type NudgeCase } from '../ledger.js';

/** The ledger steps of enforcement, each claimed once per case like a message. */
export const FINAL_NOTICE_STEP: CaseStep = 'final-notice';
export const ENFORCED_STEP: CaseStep = 'enforced';
export const ENFORCED_NOTICE_STEP: CaseStep = 'enforced-notice';
export const LIFTED_STEP: CaseStep = 'lifted';
/** The edit of the last request to say who enforced and when: a step, so a crash before it is made up for. */
export const REQUEST_DECIDED_STEP: CaseStep = 'enforcement-decided';
/** The edit of the last request once the case is over without a decision. */
export const REQUEST_CLOSED_STEP: CaseStep = 'enforcement-closed';

/** `enforcement-request` for the first request; `enforcement-request-2` after "7 more days", and so on. */
export function requestStep(n: number): CaseStep {
  return n === 1 ? 'enforcement-request' : `enforcement-request-${n}`;
}

export function requestNumber(step: CaseStep): number | undefined {
  const m = /^enforcement-request(?:-(\d+))?$/.exec(step);
  return m ? Number(m[1] ?? 1) : undefined;
}

export function delivered(m: LedgerMessage): boolean {
  return m.state === 'sent' || m.state === 'unconfirmed';
}

export function stepOf(c: NudgeCase, step: CaseStep): LedgerMessage | undefined {
  return c.messages.find((m) => m.step === step && occupies(m));
}

/** The case's latest enforcement request that went out, if any. */
export function latestRequest(c: NudgeCase): LedgerMessage | undefined {
  return c.messages
    .filter((m) => requestNumber(m.step) !== undefined && occupies(m))
    .sort((a, b) => requestNumber(b.step)! - requestNumber(a.step)!)[0];
}

/** The policy is on the user (recorded), and not lifted since. */
export function isEnforced(c: NudgeCase): boolean {
  const enforced = stepOf(c, ENFORCED_STEP);
  return enforced !== undefined && delivered(enforced) && !stepOf(c, LIFTED_STEP);
}

/** When the case was lifted (recorded), for the digest. */
export function liftedAt(c: NudgeCase): Date | undefined {
  const lifted = stepOf(c, LIFTED_STEP);
  return lifted && delivered(lifted) ? deliveredAt(lifted) : undefined;
}

/**
 * The enforcements made in an account on the UTC day of `day`, by a run or an approver's press alike: recorded, or
 * claimed and in flight (a failed or abandoned attach did not limit anyone). What caps the Enforce button.
 */
export function enforcementsOnDay(cases: readonly NudgeCase[], accountId: string, day: Date): number {
  const today = isoDate(day);
  return cases
    .filter((c) => c.accountId === accountId)
    .flatMap((c) => c.messages)
    .filter((m) => m.step === ENFORCED_STEP && (delivered(m) || m.state === 'claimed'))
    .filter((m) => isoDate(m.claimedAt) === today).length;
}

export interface EnforcementStanding {
  /** Per account: the IAM users whose login is limited now. */
  enforced: Map<string, string[]>;
  /** Per account: the IAM users lifted since `since`. */
  lifted: Map<string, string[]>;
}

/** Who is enforced now and who was lifted since `since` (the previous digest), per account, from the ledger. */
export function enforcementStanding(cases: readonly NudgeCase[], since: Date | undefined): EnforcementStanding {
  const enforced = new Map<string, string[]>();
  const lifted = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, c: NudgeCase) =>
    m.set(c.accountId, [...(m.get(c.accountId) ?? []), c.userName]);
  for (const c of cases) {
    if (isEnforced(c)) add(enforced, c);
    const at = liftedAt(c);
    if (at && (!since || at > since)) add(lifted, c);
  }
  return { enforced, lifted };
}
