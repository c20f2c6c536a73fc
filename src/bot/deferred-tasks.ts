import type { IamUserRef } from './ports.js';

/**
 * A slow /mfa-check answer (a live check) to give later, through the response URL. It carries everything
 * needed, so another process (the Lambda worker) can give it: the command text is parsed and the asker's
 * rights are checked again there, exactly as for a typed command.
 */
export interface DeferredCheck {
  kind: 'check';
  text: string;
  askerId: string;
  responseUrl: string;
  /** Replace the message the button was on (the "Check again" button) rather than add an answer. */
  replaceOriginal: boolean;
}

/** Where listeners hand slow work: in the same process under `serve`, another Lambda invocation on AWS. */
export interface Deferrer {
  defer(task: DeferredTask): Promise<void>;
}

/**
 * "I've turned on MFA, check again", after the listener checked who pressed it: everything the live check
 * and the reply need, so another process (the Lambda worker) can do it.
 */
export interface DeferredRecheck {
  kind: 'recheck';
  ref: IamUserRef;
  presserId: string;
  /** The Slack user the IAM user maps to, when known. */
  ownerId?: string;
  /** The nudge, to replace in place with chat.update (absent when it was ephemeral). */
  nudge?: { channel: string; ts: string };
  responseUrl?: string;
}

/**
 * An approver's submitted "Delete root credentials" modal: the deletion (AssumeRoot, then a scan of the account
 * through its audit role) is slow, so it runs here; the outcome is posted to the channel the button was in.
 */
export interface DeferredRootDeletion {
  kind: 'root-delete';
  accountId: string;
  /** Checked as an approver when the modal was submitted. */
  approverId: string;
  channel: string;
}

/**
 * An approver's Enforce, 7 more days or Lift on an enforcement request: attaching or detaching the policy (through
 * a member's audit role) and editing the request can outlast Slack's 3 seconds on Lambda, so it runs here. A refusal
 * (a guard rail, the day's cap) is answered privately through the response URL.
 */
export interface DeferredEnforcementDecision {
  kind: 'enforcement';
  decision: EnforcementDecision;
  ref: IamUserRef;
  /** Checked as an approver when the button was pressed. */
  approverId: string;
  responseUrl?: string;
}

export const ENFORCEMENT_DECISIONS = ['enforce', 'postpone', 'lift'] as const;
export type EnforcementDecision = (typeof ENFORCEMENT_DECISIONS)[number];

export type DeferredTask = DeferredCheck | DeferredRecheck | DeferredRootDeletion | DeferredEnforcementDecision;
