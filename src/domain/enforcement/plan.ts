import { addDays, daysBetween } from '../dates.js';
import { identityKey, type IdentityMap } from '../identity.js';
import {
  caseKeyOf,
  deliveredAt,
  nudgeNumber,
  nudgeStep,
  type CaseKey,
  type CaseStep,
  type LedgerMessage,
  type NudgeCase,
} from '../ledger.js';
import { consoleVerdicts, latestCaseByUser, scanPredatesCase } from '../nudge-cases.js';
import type { AccountResult, ScanResult, Verdict } from '../types.js';
import { isTimeZone, nextWorkingTime, type WorkingHours } from '../working-hours.js';
import { enforcementBar, whatBreaks, type GuardRailSettings } from './guard-rails.js';
import {
  delivered,
  ENFORCED_NOTICE_STEP,
  ENFORCED_STEP,
  FINAL_NOTICE_STEP,
  LIFTED_STEP,
  latestRequest,
  REQUEST_CLOSED_STEP,
  REQUEST_DECIDED_STEP,
  requestNumber,
  requestStep,
  stepOf,
} from './steps.js';

export interface EnforcementSettings extends GuardRailSettings {
  enabled: boolean;
  approval: 'request' | 'auto';
  /** Days after the first nudge before the final notice; 0: at once. */
  afterDays: number;
  /** Days from the final notice to the request (or, with auto approval, enforcement); 0: at once. */
  finalNoticeDays: number;
  maxPerRun: number;
  workingHours: WorkingHours;
  defaultTimeZone: string;
}

interface Base {
  key: CaseKey;
  step: CaseStep;
  account: AccountResult;
}

export interface FinalNoticeAction extends Base {
  type: 'final-notice';
  recipient: string;
  verdict: Verdict;
  /** The day the login is limited unless MFA is on, as the DM promises it. */
  enforceOn: Date;
}

export interface RequestAction extends Base {
  type: 'enforcement-request';
  channel: string;
  verdict: Verdict;
  slackUserId: string;
  nudgesSent: number;
  firstNudgedAt: Date;
  /** What the policy breaks for this user (keys in use), when anything. */
  breaks?: string;
}

export interface EnforceAction extends Base {
  type: 'enforce';
  verdict: Verdict;
  /** `auto`, or the approver of a decision whose IAM write failed and is retried. */
  by: string;
  slackUserId?: string;
}

export interface EnforcedNoticeAction extends Base {
  type: 'enforced-notice';
  recipient: string;
}

export interface LiftAction extends Base {
  type: 'lift';
  /** Why: MFA is on, the login or user is gone, an exemption now covers it. */
  why: 'fixed' | 'no-console' | 'exempt' | 'gone';
  request?: { channel: string; ts: string };
}

/** Who was nudged, how long and how often, as the request and its edits say it. */
export interface NudgeFacts {
  nudgesSent: number;
  firstNudgedAt: Date;
  /** The person's Slack user, when mapped. */
  slackUserId?: string;
}

/** The request of a case that ended without a decision is edited to say so. */
export interface RequestClosedAction extends Base, NudgeFacts {
  type: 'request-closed';
  why: LiftAction['why'];
  request: { channel: string; ts: string };
  /**
   * The policy was detached (by whom, when): the request says "lifted" rather than "nothing to decide", and keeps the
   * approver of a **Lift** rather than crediting MFA.
   */
  lifted?: { by: string; at: Date };
}

/** The request of an enforced case is edited to say who decided and when (with a Lift button), once. */
export interface RequestDecidedAction extends Base, NudgeFacts {
  type: 'request-decided';
  request: { channel: string; ts: string };
  by: string;
  at: Date;
}

export type EnforcementAction =
  | FinalNoticeAction
  | RequestAction
  | EnforceAction
  | EnforcedNoticeAction
  | LiftAction
  | RequestClosedAction
  | RequestDecidedAction;

/** A stage that is due but may not happen, and why: shown by --dry-run and in the run's log. */
export interface EnforcementHold {
  key: CaseKey;
  stage: 'final-notice' | 'enforcement-request' | 'enforce';
  reason: string;
}

export interface EnforcementWaiting {
  key: CaseKey;
  stage: 'final-notice' | 'enforcement-request' | 'enforce';
  dueAt: Date;
}

export interface EnforcementPlan {
  due: EnforcementAction[];
  held: EnforcementHold[];
  waiting: EnforcementWaiting[];
}

export interface EnforcementPlanInput {
  now: Date;
  settings: EnforcementSettings;
  scan: ScanResult;
  /** Cases as stored (after reconcileCases()); each user's latest case counts. */
  cases: readonly NudgeCase[];
  identities: IdentityMap;
  timeZones?: ReadonlyMap<string, string>;
  /** slack.securityChannel, else the digest channel: where requests go. */
  requestChannel?: string;
  /** The ARN(s) mfa-bot runs as, never enforced. */
  selfArns: readonly string[];
}

const later = (a: Date, b: Date | undefined): Date => (b && b > a ? b : a);

/** The nudges of a case that went out, and the first one's time (the case's opening when none did). */
export function nudgeFactsOf(c: NudgeCase, slackUserId?: string): NudgeFacts {
  const nudges = c.messages.filter((m) => nudgeNumber(m.step) !== undefined && delivered(m));
  const first = nudges.map(deliveredAt).sort((a, b) => a.getTime() - b.getTime())[0];
  return { nudgesSent: nudges.length, firstNudgedAt: first ?? c.openedAt, ...(slackUserId ? { slackUserId } : {}) };
}

/** Where the case's latest request was posted, when it was. */
function requestAt(c: NudgeCase): { channel: string; ts: string } | undefined {
  const request = latestRequest(c);
  return request?.channel && request.ts ? { channel: request.channel, ts: request.ts } : undefined;
}

interface Planner {
  input: EnforcementPlanInput;
  plan: EnforcementPlan;
  /** Requests and enforcements planned per account this run, for maxPerRun. */
  perAccount: Map<string, number>;
}

function withinCap(p: Planner, key: CaseKey, stage: EnforcementHold['stage']): boolean {
  const n = p.perAccount.get(key.accountId) ?? 0;
  if (n >= p.input.settings.maxPerRun) {
    p.plan.held.push({
      key,
      stage,
      reason: `enforcement.maxPerRun (${p.input.settings.maxPerRun}) reached in this account: left for the next run`,
    });
    return false;
  }
  p.perAccount.set(key.accountId, n + 1);
  return true;
}

function lift(p: Planner, c: NudgeCase, account: AccountResult, why: LiftAction['why']): void {
  const key = caseKeyOf(c);
  const where = requestAt(c);
  if (stepOf(c, ENFORCED_STEP) && !stepOf(c, LIFTED_STEP)) {
    p.plan.due.push({ type: 'lift', key, step: LIFTED_STEP, account, why, ...(where ? { request: where } : {}) });
  } else if (where && !stepOf(c, REQUEST_CLOSED_STEP)) {
    // Lifted by a live check (which has no Slack to edit with), or never enforced: the request is closed now.
    const lifted = stepOf(c, LIFTED_STEP);
    p.plan.due.push({
      type: 'request-closed',
      key,
      step: REQUEST_CLOSED_STEP,
      account,
      why,
      request: where,
      ...nudgeFactsOf(c, p.input.identities.get(identityKey(c.accountId, c.userName))?.slackUserId),
      ...(lifted ? { lifted: { by: lifted.by ?? 'mfa-on', at: deliveredAt(lifted) } } : {}),
    });
  }
}

/** After the policy went on: the request edited to say who and when, and the DM to the person; each once. */
function planAfterEnforced(p: Planner, c: NudgeCase, enforced: LedgerMessage, account: AccountResult): void {
  const key = caseKeyOf(c);
  const identity = p.input.identities.get(identityKey(c.accountId, c.userName));
  // Made up for here when the decision was recorded by crash recovery rather than by the press or run.
  const request = requestAt(c);
  if (request && !stepOf(c, REQUEST_DECIDED_STEP))
    p.plan.due.push({
      type: 'request-decided',
      key,
      step: REQUEST_DECIDED_STEP,
      account,
      request,
      by: enforced.by ?? 'auto',
      at: deliveredAt(enforced),
      ...nudgeFactsOf(c, identity?.slackUserId),
    });
  if (identity && !stepOf(c, ENFORCED_NOTICE_STEP))
    p.plan.due.push({
      type: 'enforced-notice',
      key,
      step: ENFORCED_NOTICE_STEP,
      account,
      recipient: identity.slackUserId,
    });
}

function planOpen(p: Planner, c: NudgeCase, verdict: Verdict, account: AccountResult): void {
  const { now, settings } = p.input;
  const key = caseKeyOf(c);
  // Another process is working on a step, or crashed doing so: recovery settles it first.
  if (c.messages.some((m) => m.state === 'claimed')) return;
  // A failed one too: the decision stands, and its IAM write is tried again.
  const enforced = c.messages.find((m) => m.step === ENFORCED_STEP && m.state !== 'abandoned');
  if (enforced) {
    if (enforced.state === 'failed') planEnforce(p, c, verdict, account, enforced.by ?? 'auto');
    else if (delivered(enforced) && !stepOf(c, LIFTED_STEP)) planAfterEnforced(p, c, enforced, account);
    return;
  }
  const nudges = c.messages.filter((m) => nudgeNumber(m.step) !== undefined && delivered(m));
  const first = c.messages.find((m) => m.step === nudgeStep(1) && delivered(m));
  if (!first) return;
  const bar = enforcementBar(verdict, settings, { now, selfArns: p.input.selfArns });
  const identity = p.input.identities.get(identityKey(c.accountId, c.userName));
  const notice = stepOf(c, FINAL_NOTICE_STEP);
  if (!notice) {
    const dueAt = later(addDays(deliveredAt(first), settings.afterDays), c.snoozedUntil);
    if (bar) {
      if (dueAt <= now) p.plan.held.push({ key, stage: 'final-notice', reason: bar });
      return;
    }
    if (!identity) {
      if (dueAt <= now) p.plan.held.push({ key, stage: 'final-notice', reason: 'not mapped to a Slack user' });
      return;
    }
    const tz = [identity.tz, p.input.timeZones?.get(identity.slackUserId)].find((t) => t && isTimeZone(t));
    const sendAt = nextWorkingTime(later(dueAt, now), tz ?? settings.defaultTimeZone, settings.workingHours);
    if (sendAt > now) {
      p.plan.waiting.push({ key, stage: 'final-notice', dueAt: sendAt });
      return;
    }
    p.plan.due.push({
      type: 'final-notice',
      key,
      step: FINAL_NOTICE_STEP,
      account,
      recipient: identity.slackUserId,
      verdict,
      enforceOn: addDays(now, settings.finalNoticeDays),
    });
    return;
  }
  if (!delivered(notice)) return;
  const request = latestRequest(c);
  const dueAt = later(addDays(deliveredAt(notice), settings.finalNoticeDays), c.snoozedUntil);
  const stage = settings.approval === 'auto' ? 'enforce' : 'enforcement-request';
  // "7 more days" (a snooze after the last request) asks again when it ends.
  const asked = request && !(c.snoozedUntil && c.snoozedUntil > deliveredAt(request));
  if (asked) return;
  const channel = p.input.requestChannel;
  const hold =
    bar ?? (settings.approval === 'request' && !channel ? 'no slack.securityChannel or digestChannel' : undefined);
  if (dueAt > now) p.plan.waiting.push({ key, stage, dueAt });
  else if (hold) p.plan.held.push({ key, stage, reason: hold });
  else if (settings.approval === 'auto') planEnforce(p, c, verdict, account, 'auto');
  if (dueAt > now || hold || settings.approval === 'auto' || !channel) return;
  if (!withinCap(p, key, stage)) return;
  const breaks = whatBreaks(verdict, now);
  p.plan.due.push({
    type: 'enforcement-request',
    key,
    step: requestStep(request ? requestNumber(request.step)! + 1 : 1),
    account,
    channel,
    verdict,
    slackUserId: identity?.slackUserId ?? '',
    nudgesSent: nudges.length,
    firstNudgedAt: deliveredAt(first),
    ...(breaks ? { breaks } : {}),
  });
}

function planEnforce(p: Planner, c: NudgeCase, verdict: Verdict, account: AccountResult, by: string): void {
  const key = caseKeyOf(c);
  const bar = enforcementBar(verdict, p.input.settings, { now: p.input.now, selfArns: p.input.selfArns });
  if (bar) {
    p.plan.held.push({ key, stage: 'enforce', reason: bar });
    return;
  }
  if (!withinCap(p, key, 'enforce')) return;
  const identity = p.input.identities.get(identityKey(c.accountId, c.userName));
  p.plan.due.push({
    type: 'enforce',
    key,
    step: ENFORCED_STEP,
    account,
    verdict,
    by,
    ...(identity ? { slackUserId: identity.slackUserId } : {}),
  });
}

/**
 * What enforcement asks for now, on top of the nudge cadence. Pure. Per case, once `nudge-1` went out:
 * 1. `afterDays` later (and after any snooze), in the person's working hours: the final-notice DM naming the day;
 * 2. `finalNoticeDays` after it: the request in the security channel (`approval: request`), or enforcement
 *    itself (`approval: auto`); "7 more days" is a snooze, after which the request is made again;
 * 3. once the policy is attached (a decision recorded as the `enforced` step): the request edited to say who and
 *    when, and the DM telling the person (each once; both made up for after a crash before them);
 * 4. when the case is over (MFA on, login or user gone, exempt) or the verdict no longer fails: the policy is lifted.
 * Guard rails (guard-rails.ts) hold back stages 1 and 2 with a reason; at most maxPerRun requests and
 * enforcements per account and run. Nothing but lifting happens unless enforcement is enabled.
 */
export function planEnforcement(input: EnforcementPlanInput): EnforcementPlan {
  const p: Planner = { input, plan: { due: [], held: [], waiting: [] }, perAccount: new Map() };
  const accounts = new Map(input.scan.accounts.map((a) => [a.accountId, a]));
  const verdicts = consoleVerdicts(input.scan);
  for (const c of latestCaseByUser(input.cases).values()) {
    const account = accounts.get(c.accountId);
    if (!account || account.error) continue;
    if (c.resolvedAt) {
      if (!c.messages.some((m) => m.state === 'claimed')) lift(p, c, account, c.resolution ?? 'fixed');
      continue;
    }
    const stale = scanPredatesCase(account, input.scan, c);
    const verdict = stale ? c.live!.verdict : verdicts.get(identityKey(c.accountId, c.userName));
    if (!verdict) continue;
    if (verdict.status !== 'fail') {
      // Open but no longer failing (an exemption the case has not caught up with): never keep the limit on.
      if (verdict.status === 'exempt' && !c.messages.some((m) => m.state === 'claimed')) lift(p, c, account, 'exempt');
      continue;
    }
    if (input.settings.enabled) planOpen(p, c, verdict, account);
  }
  return p.plan;
}

/** Whole days between two instants, rounded: "nudged for 12 days". */
export function daysSince(from: Date, now: Date): number {
  return Math.max(0, Math.round(daysBetween(from, now)));
}
