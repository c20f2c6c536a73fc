import { ALL_CHECKS, enabledChecks } from './checks/registry.js';
import { applyExemptions } from './exemptions.js';
import type { AccountSnapshot, CheckContext, CheckId, Exemption, Verdict } from './types.js';

/** The checks that judge one IAM user (as opposed to the root user). */
export const USER_CHECK_IDS: ReadonlySet<CheckId> = new Set(
  ALL_CHECKS.filter((check) => check.scope === 'user').map((check) => check.id),
);

/**
 * The verdicts of the per-user checks for one IAM user, with exemptions applied: the same rules a full scan
 * applies, run on a snapshot that holds only that user's row (a live re-check builds such a snapshot).
 */
export function evaluateUser(
  snapshot: AccountSnapshot,
  userName: string,
  ctx: CheckContext,
  exemptions: readonly Exemption[] = [],
): Verdict[] {
  const verdicts = enabledChecks(ctx.settings)
    .filter((check) => check.scope === 'user')
    .flatMap((check) => check.evaluate(snapshot, ctx))
    .filter((v) => v.principal === userName);
  return applyExemptions(verdicts, exemptions, ctx.now);
}
