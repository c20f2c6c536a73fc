import { deliveredAt, nudgeNumber, occupies, type NudgeCase } from '../domain/ledger.js';
import type { Verdict } from '../domain/types.js';

/** What mfa-bot itself knows about a finding beyond the verdict; absent in a plain `scan` (no state store). */
export interface FindingContext {
  /** Nudges delivered (or in flight) in the user's current case. */
  nudges?: number;
  lastNudgeAt?: Date;
}

/** The context of each user's latest case, keyed like `contextKey`. */
export function contextFromCases(cases: readonly NudgeCase[]): Map<string, FindingContext> {
  const out = new Map<string, FindingContext>();
  for (const c of cases) {
    const nudges = c.messages.filter((m) => nudgeNumber(m.step) !== undefined && occupies(m));
    const last = nudges.map(deliveredAt).sort((a, b) => b.getTime() - a.getTime())[0];
    out.set(contextKey(c.accountId, c.userName), { nudges: nudges.length, ...(last ? { lastNudgeAt: last } : {}) });
  }
  return out;
}

export function contextKey(accountId: string, principal: string): string {
  return `${accountId}\u0000${principal}`;
}

/** Flat string fields (ASFF ProductFields, OCSF unmapped): exemption, grace deadline and nudges. */
export function findingContextFields(v: Verdict, context: FindingContext): Record<string, string> {
  return {
    ...(v.exemption
      ? {
          'mfa-bot/exemptUntil': v.exemption.expires.toISOString(),
          'mfa-bot/exemptReason': v.exemption.reason.slice(0, 1024),
        }
      : {}),
    ...(v.status === 'grace' && v.deadline ? { 'mfa-bot/mfaDueBy': v.deadline.toISOString() } : {}),
    ...(context.nudges !== undefined ? { 'mfa-bot/nudges': String(context.nudges) } : {}),
    ...(context.lastNudgeAt ? { 'mfa-bot/lastNudgeAt': context.lastNudgeAt.toISOString() } : {}),
  };
}
