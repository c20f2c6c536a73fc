import type { AccountSnapshot, CheckContext, CheckId, CheckSettings, Severity, Status, Verdict } from '../types.js';

/** A check's metadata lives next to its logic, as in Prowler and cdk-nag. */
export interface Check {
  id: CheckId;
  title: string;
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
  extra: Partial<Pick<Verdict, 'deadline'>> = {},
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
