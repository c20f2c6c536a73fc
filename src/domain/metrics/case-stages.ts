import { ENFORCED_STEP } from '../enforcement/steps.js';
import { delivered, deliveredAt, nudgeNumber, type LedgerMessage, type NudgeCase } from '../ledger.js';

/** The furthest the bot had gone with a case when it was fixed. */
export const FIX_STAGES = ['before-nudge', 'first-nudge', 'reminder', 'escalation', 'enforcement'] as const;
export type FixStage = (typeof FIX_STAGES)[number];

/** The grace nudge and `nudge-1` are first nudges; `nudge-2` and later are reminders. */
function isNudge(m: LedgerMessage): boolean {
  return m.step === 'grace' || nudgeNumber(m.step) !== undefined;
}

function isReminder(m: LedgerMessage): boolean {
  return (nudgeNumber(m.step) ?? 0) >= 2;
}

/** Delivered before `at`, oldest first. */
function deliveredBefore(c: NudgeCase, at: Date): LedgerMessage[] {
  return c.messages
    .filter((m) => delivered(m) && deliveredAt(m) <= at)
    .sort((a, b) => deliveredAt(a).getTime() - deliveredAt(b).getTime());
}

/** Which stage a case had reached by `at` (its fix): each stage counts only if its step was delivered before. */
export function stageReached(c: NudgeCase, at: Date): FixStage {
  const before = deliveredBefore(c, at);
  if (before.some((m) => m.step === ENFORCED_STEP)) return 'enforcement';
  if (before.some((m) => m.step === 'escalation')) return 'escalation';
  if (before.some(isReminder)) return 'reminder';
  if (before.some(isNudge)) return 'first-nudge';
  return 'before-nudge';
}

/** When the person was first nudged in this case (the grace nudge counts), if ever. */
export function firstNudgeAt(c: NudgeCase): Date | undefined {
  const first = deliveredBefore(c, new Date(8.64e15)).find(isNudge);
  return first ? deliveredAt(first) : undefined;
}

/** `nudge-N` messages delivered: the count nudges.escalateAfter is compared with (the grace nudge is not one). */
export function nudgesDelivered(c: NudgeCase): number {
  return c.messages.filter((m) => nudgeNumber(m.step) !== undefined && delivered(m)).length;
}
