import type { SlackIdentity } from './identity.js';
import type { Verdict } from './types.js';

/**
 * The nudge ledger: what the bot remembers about each IAM user it has to get behind MFA. A case is one
 * stretch of failing, from the scan that first saw it until it is resolved; a relapse opens the next cycle.
 */

export interface CaseKey {
  accountId: string;
  userName: string;
  /** 1 for the first time this user was seen failing, 2 after a relapse, and so on. */
  cycle: number;
}

export type CaseResolution =
  /** MFA is on (the console check passes). The only resolution that earns a thank-you. */
  | 'fixed'
  /** The console password was removed. */
  | 'no-console'
  /** An exemption now covers the user. */
  | 'exempt'
  /** The IAM user no longer exists. */
  | 'gone';

export type MessageKind =
  | 'nudge'
  | 'escalation'
  | 'thank-you'
  | 'resolved-update'
  | 'digest'
  /** Enforcement (domain/enforcement): the final-notice DM, the request in the security channel, its edits. */
  | 'final-notice'
  | 'enforcement-request'
  | 'enforcement-update'
  /** Not messages but IAM writes, claimed like one: the require-MFA policy attached to, or detached from, the user. */
  | 'enforced'
  | 'lifted'
  /** The DM telling the person their console is limited now. */
  | 'enforced-notice'
  /** Not a message: a member root's credentials deleted through AssumeRoot (jobs/root-delete.ts), claimed like one. */
  | 'root-credentials-deleted';

/**
 * - claimed: the intent is recorded and a process is (or was, if it crashed) sending it;
 * - sent: Slack accepted it, with its channel and ts;
 * - unconfirmed: a stale claim whose fate Slack could not tell us: counted as sent, never re-sent;
 * - failed: Slack refused it, so it was not sent: the next run may claim it again;
 * - abandoned: refused too many times: counted as done so the cadence moves on.
 */
export type MessageState = 'claimed' | 'sent' | 'unconfirmed' | 'failed' | 'abandoned';

/**
 * Steps of a case: `grace`, `nudge-1` (the first nudge), `nudge-2` (the 1st reminder)…, `escalation`, `thank-you`,
 * `resolved-update`, `realtime-alert`.
 */
export type CaseStep = string;

/** The security channel's alert about a login a live check found bare after a CloudTrail event (kind `escalation`). */
export const REALTIME_ALERT_STEP: CaseStep = 'realtime-alert';

export interface LedgerMessage {
  step: CaseStep;
  kind: MessageKind;
  /** A Slack user ID for DMs, a channel ID for channel posts. */
  recipient: string;
  claimId: string;
  claimedAt: Date;
  attempts: number;
  state: MessageState;
  sentAt?: Date;
  /** Where it landed (a D… ID for DMs) and its ts, for chat.update. */
  channel?: string;
  ts?: string;
  error?: string;
  /** Who decided an enforcement step (a Slack user ID, or `auto` for enforcement.approval: auto). */
  by?: string;
}

/**
 * What a live check saw when it opened a case between scans (after a CloudTrail event). Scans read a
 * credential report that AWS reuses for up to four hours, so until a scan observes the account after the
 * case opened, this verdict and mapping stand in for the scan's.
 */
export interface LiveObservation {
  verdict: Verdict;
  identity?: SlackIdentity;
}

export interface NudgeCase extends CaseKey {
  /** When a scan (or a live check) first saw this user failing (or in grace) in this cycle. */
  openedAt: Date;
  openedStatus: 'fail' | 'grace';
  /** Set when a live check opened the case, not a scan. */
  live?: LiveObservation;
  snoozedUntil?: Date;
  resolvedAt?: Date;
  resolution?: CaseResolution;
  messages: LedgerMessage[];
}

export function nudgeStep(n: number): CaseStep {
  return `nudge-${n}`;
}

/** 1 for `nudge-1`; undefined for any other step. */
export function nudgeNumber(step: CaseStep): number | undefined {
  const m = /^nudge-(\d+)$/.exec(step);
  return m ? Number(m[1]) : undefined;
}

/** A message that counts as done or in flight: its step is not planned again. */
export function occupies(m: LedgerMessage): boolean {
  return m.state !== 'failed';
}

/** Slack has it (or may: an unconfirmed claim counts as sent and is never re-sent). */
export function delivered(m: LedgerMessage): boolean {
  return m.state === 'sent' || m.state === 'unconfirmed';
}

/** When a delivered message went out; a claim stands in for an unconfirmed one. */
export function deliveredAt(m: LedgerMessage): Date {
  return m.sentAt ?? m.claimedAt;
}

export function caseKeyOf(c: CaseKey): CaseKey {
  return { accountId: c.accountId, userName: c.userName, cycle: c.cycle };
}

export function caseLabel(key: CaseKey): string {
  return `${key.userName} in ${key.accountId} (cycle ${key.cycle})`;
}
