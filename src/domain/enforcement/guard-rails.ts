import { addDays, isoDate } from '../dates.js';
import type { Verdict } from '../types.js';

/** Access keys used this recently count as in use: the require-MFA policy would break their CLI. */
export const KEY_USE_DAYS = 90;

export interface GuardRailSettings {
  /** IAM user names, or IAM paths ending in `/` (such as /breakglass/), never enforced. */
  never: readonly string[];
  includeKeyUsers: boolean;
}

/** `/breakglass/` for `arn:aws:iam::111122223333:user/breakglass/alice`; `/` for a user without a path. */
export function iamPathOf(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts.length <= 2 ? '/' : `/${parts.slice(1, -1).join('/')}/`;
}

/** The day an active access key of this user was last used, if within KEY_USE_DAYS of now. */
export function recentKeyUse(verdict: Verdict, now: Date): Date | undefined {
  const used = verdict.keysLastUsed;
  return used && addDays(used, KEY_USE_DAYS) > now ? used : undefined;
}

/**
 * Why this user may never have their login limited, or undefined when nothing stands in the way. The planner
 * and the Enforce button both ask, so a press cannot do what a run would refuse:
 * - the principal mfa-bot runs as (it would lock itself out);
 * - a user that is not failing (exempt, fixed, in grace);
 * - `enforcement.never`, by name or IAM path;
 * - active access keys used in the last 90 days, unless enforcement.includeKeyUsers.
 */
export function enforcementBar(
  verdict: Verdict,
  settings: GuardRailSettings,
  context: { now: Date; selfArns: readonly string[] },
): string | undefined {
  if (context.selfArns.includes(verdict.arn)) return 'this is the IAM user mfa-bot runs as';
  if (verdict.status === 'exempt') return `exempt (${verdict.exemption?.reason ?? 'an exemption covers it'})`;
  if (verdict.status !== 'fail') return `not failing (${verdict.status})`;
  const path = iamPathOf(verdict.arn);
  for (const entry of settings.never) {
    if (entry.endsWith('/') ? path.startsWith(entry) : entry === verdict.principal)
      return `listed in enforcement.never (${entry})`;
  }
  const keys = recentKeyUse(verdict, context.now);
  if (keys && !settings.includeKeyUsers)
    return (
      `has access keys used in the last ${KEY_USE_DAYS} days (last on ${isoDate(keys)}): the policy would ` +
      'break their CLI; enforcement.includeKeyUsers: true includes such users'
    );
  return undefined;
}

/** What the require-MFA policy breaks for a user with keys in use: said in the request, before anyone approves. */
export function whatBreaks(verdict: Verdict, now: Date): string | undefined {
  const keys = recentKeyUse(verdict, now);
  if (!keys) return undefined;
  return (
    `Their access keys (last used ${isoDate(keys)}) stop working for everything but MFA setup until they call ` +
    '`aws sts get-session-token` with an MFA code: scripts and CI jobs with these keys will fail.'
  );
}
