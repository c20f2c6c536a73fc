import { addDays } from './dates.js';
import { identityKey, type IdentityMap } from './identity.js';
import {
  caseKeyOf,
  delivered,
  deliveredAt,
  nudgeNumber,
  nudgeStep,
  occupies,
  type CaseKey,
  type CaseStep,
  type NudgeCase,
} from './ledger.js';
import { consoleVerdicts, latestCaseByUser, scanPredatesCase } from './nudge-cases.js';
import type { AccountResult, ScanResult, Verdict } from './types.js';
import { isTimeZone, nextWorkingTime, type WorkingHours } from './working-hours.js';

export interface NudgeSettings {
  /** Reminders this many days after the first nudge, e.g. [2, 5, 10]; strictly increasing. */
  cadenceDays: readonly number[];
  /** After the cadence: one reminder every this many days. */
  repeatEveryDays: number;
  /** Escalate once per case after this many nudges went unanswered. */
  escalateAfter: number;
  workingHours: WorkingHours;
  /** For people whose Slack profile has no time zone. */
  defaultTimeZone: string;
}

/** The same three kinds the nudge builder knows. */
export type NudgeMessageKind = 'grace' | 'first' | 'reminder';

interface ActionBase {
  key: CaseKey;
  step: CaseStep;
  account: AccountResult;
}

export interface NudgeAction extends ActionBase {
  type: 'nudge';
  recipient: string;
  kind: NudgeMessageKind;
  /** For reminders: 1 for the first reminder. */
  reminderNumber?: number;
  verdict: Verdict;
}

export interface EscalationAction extends ActionBase {
  type: 'escalation';
  channel: string;
  verdict: Verdict;
  slackUserId: string;
  nudgesSent: number;
  firstNudgedAt: Date;
}

export interface ThankYouAction extends ActionBase {
  type: 'thank-you';
  recipient: string;
}

/** chat.update of the last nudge, so its buttons no longer ask for something done. */
export interface ResolvedUpdateAction extends ActionBase {
  type: 'resolved-update';
  channel: string;
  ts: string;
}

export type PlannedAction = NudgeAction | EscalationAction | ThankYouAction | ResolvedUpdateAction;

export interface WaitingAction {
  key: CaseKey;
  step: CaseStep;
  type: 'nudge' | 'thank-you' | 'escalation';
  recipient: string;
  /** When the cadence (or a snooze) makes it due. */
  dueAt: Date;
  /** The first moment in the recipient's working hours at or after dueAt. */
  sendAt: Date;
  timeZone: string;
}

export interface NudgePlan {
  due: PlannedAction[];
  waiting: WaitingAction[];
}

export interface NudgePlanInput {
  now: Date;
  settings: NudgeSettings;
  /** The latest scan: whose verdicts say who still fails. */
  scan: ScanResult;
  /** Cases as stored, after reconcileCases() was applied; only each user's latest case matters. */
  cases: readonly NudgeCase[];
  /** IAM users mapped to Slack users at the latest scan. */
  identities: IdentityMap;
  /** Last known time zone of Slack users, for people who are no longer mapped (a thank-you after a fix). */
  timeZones?: ReadonlyMap<string, string>;
  /** slack.securityChannel, else the digest channel; no escalations without one. */
  escalationChannel?: string;
}

/**
 * Days from nudge n to nudge n+1. cadenceDays are counted from the first nudge, but each gap is taken from
 * the nudge actually sent before it, so a nudge that waited for a weekend pushes the rest along instead of
 * letting two arrive back to back.
 */
export function gapAfterNudge(n: number, settings: Pick<NudgeSettings, 'cadenceDays' | 'repeatEveryDays'>): number {
  const c = settings.cadenceDays;
  if (n <= c.length) return c[n - 1]! - (n >= 2 ? c[n - 2]! : 0);
  return settings.repeatEveryDays;
}

function latest(a: Date, b: Date | undefined): Date {
  return b && b > a ? b : a;
}

interface Planner {
  input: NudgePlanInput;
  plan: NudgePlan;
}

function timeZoneOf(p: Planner, candidates: Array<string | undefined>): string {
  for (const tz of candidates) if (tz && isTimeZone(tz)) return tz;
  return p.input.settings.defaultTimeZone;
}

/**
 * Due now and inside working hours: planned; otherwise listed as waiting with the time it will go. Returns that time.
 */
function schedule(p: Planner, action: PlannedAction & { recipient: string }, dueAt: Date, timeZone: string): Date {
  // Overdue (the bot was down, or the pass did not run) still means the recipient's next working hour, not now.
  const sendAt = nextWorkingTime(latest(dueAt, p.input.now), timeZone, p.input.settings.workingHours);
  if (sendAt <= p.input.now) p.plan.due.push(action);
  else
    p.plan.waiting.push({
      key: action.key,
      step: action.step,
      type: action.type as WaitingAction['type'],
      recipient: action.recipient,
      dueAt,
      sendAt,
      timeZone,
    });
  return sendAt;
}

function planOpenCase(p: Planner, c: NudgeCase, verdict: Verdict, account: AccountResult, stale: boolean): void {
  const { settings, now } = p.input;
  const identity =
    p.input.identities.get(identityKey(c.accountId, c.userName)) ?? (stale ? c.live?.identity : undefined);
  if (!identity) return;
  // Another run is sending, or crashed doing so: recovery decides.
  if (c.messages.some((m) => m.state === 'claimed')) return;
  const key = caseKeyOf(c);
  const tz = timeZoneOf(p, [identity.tz, p.input.timeZones?.get(identity.slackUserId)]);
  const has = (step: CaseStep) => c.messages.some((m) => m.step === step && occupies(m));
  const nudges = c.messages
    .filter((m) => nudgeNumber(m.step) !== undefined && occupies(m))
    .sort((a, b) => nudgeNumber(a.step)! - nudgeNumber(b.step)!);

  if (verdict.status === 'grace') {
    // One friendly nudge while in grace; the reminders start once the deadline has passed.
    if (!has('grace') && nudges.length === 0) {
      schedule(
        p,
        { type: 'nudge', key, step: 'grace', account, recipient: identity.slackUserId, kind: 'grace', verdict },
        latest(c.openedAt, c.snoozedUntil),
        tz,
      );
    }
    return;
  }
  if (verdict.status !== 'fail') return;

  const last = nudges[nudges.length - 1];
  const sentCount = last ? nudgeNumber(last.step)! : 0;
  const n = sentCount + 1;
  const dueAt = latest(
    last ? addDays(deliveredAt(last), gapAfterNudge(sentCount, settings)) : c.openedAt,
    c.snoozedUntil,
  );
  const sendAt = schedule(
    p,
    {
      type: 'nudge',
      key,
      step: nudgeStep(n),
      account,
      recipient: identity.slackUserId,
      kind: n === 1 ? 'first' : 'reminder',
      ...(n > 1 ? { reminderNumber: n - 1 } : {}),
      verdict,
    },
    dueAt,
    tz,
  );

  // Escalate together with the next reminder once `escalateAfter` nudges went unanswered: same time, so
  // the channel hears of it on a working day, when the person is also reminded.
  const unanswered = nudges.filter(delivered);
  if (p.input.escalationChannel && unanswered.length >= settings.escalateAfter && !has('escalation')) {
    const escalation: EscalationAction = {
      type: 'escalation',
      key,
      step: 'escalation',
      account,
      channel: p.input.escalationChannel,
      verdict,
      slackUserId: identity.slackUserId,
      nudgesSent: unanswered.length,
      firstNudgedAt: deliveredAt(unanswered[0]!),
    };
    if (sendAt <= now) p.plan.due.push(escalation);
    else
      p.plan.waiting.push({
        key,
        step: 'escalation',
        type: 'escalation',
        recipient: escalation.channel,
        dueAt,
        sendAt,
        timeZone: tz,
      });
  }
}

function planResolvedCase(p: Planner, c: NudgeCase, account: AccountResult): void {
  if (c.resolution !== 'fixed' || !c.resolvedAt) return;
  if (c.messages.some((m) => m.state === 'claimed')) return;
  const sentNudges = c.messages
    .filter((m) => (m.step === 'grace' || nudgeNumber(m.step) !== undefined) && delivered(m))
    .sort((a, b) => deliveredAt(a).getTime() - deliveredAt(b).getTime());
  const lastNudge = sentNudges[sentNudges.length - 1];
  if (!lastNudge) return; // never nudged: nothing to thank for
  const key = caseKeyOf(c);
  const has = (step: CaseStep) => c.messages.some((m) => m.step === step && occupies(m));
  if (lastNudge.channel && lastNudge.ts && !has('resolved-update')) {
    p.plan.due.push({
      type: 'resolved-update',
      key,
      step: 'resolved-update',
      account,
      channel: lastNudge.channel,
      ts: lastNudge.ts,
    });
  }
  if (!has('thank-you')) {
    const recipient = lastNudge.recipient;
    const identity = p.input.identities.get(identityKey(c.accountId, c.userName));
    const tz = timeZoneOf(p, [
      identity?.slackUserId === recipient ? identity.tz : undefined,
      p.input.timeZones?.get(recipient),
    ]);
    schedule(p, { type: 'thank-you', key, step: 'thank-you', account, recipient }, c.resolvedAt, tz);
  }
}

/**
 * What the nudge lifecycle asks for now, from the latest scan and the ledger. Pure: no clock but `now`,
 * no I/O. Per user and cycle:
 * - in grace: one friendly nudge (steps: `grace`);
 * - failing: the first nudge at once, then reminders after cadenceDays and every repeatEveryDays
 *   (`nudge-1`, `nudge-2`…), each moved by a snooze and then to the person's working hours;
 * - after escalateAfter nudges went unanswered, one escalation to the channel (`escalation`);
 * - fixed after being nudged: the last nudge is updated to say so (`resolved-update`) and one
 *   thank-you DM follows in working hours (`thank-you`).
 * A step already claimed or sent is never planned again; one that Slack refused is.
 */
export function planNudges(input: NudgePlanInput): NudgePlan {
  const p: Planner = { input, plan: { due: [], waiting: [] } };
  const accounts = new Map(input.scan.accounts.map((a) => [a.accountId, a]));
  const consoleVerdictOf = consoleVerdicts(input.scan);
  for (const c of latestCaseByUser(input.cases).values()) {
    const account = accounts.get(c.accountId);
    if (!account || account.error) continue;
    if (c.resolvedAt) {
      planResolvedCase(p, c, account);
      continue;
    }
    // A case a live check opened after this scan's report goes by what that check saw.
    const stale = scanPredatesCase(account, input.scan, c);
    const verdict = stale ? c.live!.verdict : consoleVerdictOf.get(identityKey(c.accountId, c.userName));
    if (verdict) planOpenCase(p, c, verdict, account, stale);
  }
  return p.plan;
}
