import type { AccountSnapshot, CheckContext, CheckId, CheckSettings, Severity, Status, Verdict } from '../types.js';

/** Whom a check judges: the account's root user, or each IAM user (those a live per-user re-check runs). */
export type CheckScope = 'root' | 'user';

/**
 * A check is one object with all of its metadata, next to its logic, as in Prowler and cdk-nag.
 * A check file writes its own id as the type argument (`Check<'root-mfa'>`); the registry holds it to checks/ids.ts.
 */
export interface Check<Id extends string = CheckId> {
  id: Id;
  /** What the check asserts, as a sentence. */
  title: string;
  /** The short name Slack messages show, e.g. "Root MFA". */
  label: string;
  scope: CheckScope;
  severity: Severity;
  /** CIS AWS Foundations Benchmark recommendations, Security Hub controls and AWS Config rules it covers. */
  controls: string[];
  remediation: string;
  enabled(settings: CheckSettings): boolean;
  evaluate(snapshot: AccountSnapshot, ctx: CheckContext): Verdict[];
}

export function verdictOf(
  check: Check,
  snapshot: Pick<AccountSnapshot, 'accountId'>,
  principal: string,
  arn: string,
  status: Status,
  reason: string,
  extra: Partial<Pick<Verdict, 'deadline' | 'keysLastUsed'>> = {},
): Verdict {
  return {
    check: check.id,
    accountId: snapshot.accountId,
    principal,
    arn,
    status,
    severity: check.severity,
    reason,
    controls: check.controls,
    remediation: check.remediation,
    ...extra,
  };
}
