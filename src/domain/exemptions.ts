import { DAY_MS, isoDate, lastDayBefore } from './dates.js';
import type { Exemption, Verdict } from './types.js';

/** An exemption an approver granted in Slack (the Exempt… button): kept in the state, applied like the config's. */
export interface GrantedExemption extends Exemption {
  /** The Slack user who granted it. */
  grantedBy: string;
  grantedAt: Date;
}

/** A granted exemption as scans apply it: its reason says who granted it, where config exemptions say nothing. */
export function asConfigExemption(e: GrantedExemption): Exemption {
  return {
    account: e.account,
    principal: e.principal,
    reason: `${e.reason} (granted in Slack by ${e.grantedBy} on ${isoDate(e.grantedAt)})`,
    expires: e.expires,
  };
}

/**
 * An expiry as the config wrote it: a date-only expiry ends at the next midnight UTC (it covers its whole day),
 * so it is shown as that day; a full timestamp as itself.
 */
export function expiryAsWritten(expires: Date): string {
  return expires.getTime() % DAY_MS === 0 ? lastDayBefore(expires) : expires.toISOString();
}

function matches(exemption: Exemption, verdict: Verdict): boolean {
  return (
    exemption.account === verdict.accountId &&
    exemption.principal === verdict.principal &&
    (exemption.checks === undefined || exemption.checks.includes(verdict.check))
  );
}

/**
 * An exemption turns a `fail` or `grace` into `exempt` until it expires; after that the finding is a
 * `fail` again and says which exemption lapsed, so nobody mistakes it for a new problem.
 */
export function applyExemptions(verdicts: Verdict[], exemptions: readonly Exemption[], now: Date): Verdict[] {
  if (exemptions.length === 0) return verdicts;
  return verdicts.map((verdict) => {
    if (verdict.status !== 'fail' && verdict.status !== 'grace') return verdict;
    const candidates = exemptions.filter((e) => matches(e, verdict));
    if (candidates.length === 0) return verdict;
    const active = candidates
      .filter((e) => e.expires > now)
      .sort((a, b) => b.expires.getTime() - a.expires.getTime())[0];
    if (active) {
      return {
        ...verdict,
        status: 'exempt',
        deadline: active.expires,
        exemption: { reason: active.reason, expires: active.expires },
        reason: `Exempt until ${lastDayBefore(active.expires)}: ${active.reason}. Without it: ${verdict.reason}`,
      };
    }
    const lapsed = candidates.sort((a, b) => b.expires.getTime() - a.expires.getTime())[0]!;
    return {
      ...verdict,
      status: 'fail',
      deadline: undefined,
      reason: `${verdict.reason} (The exemption "${lapsed.reason}" expired on ${lastDayBefore(lapsed.expires)}.)`,
    };
  });
}
