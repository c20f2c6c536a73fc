import type { IamUserRef, UserCheckResult } from '../aws/user-check.js';
import type { SlackIdentity } from '../domain/identity.js';
import type { NudgeCase } from '../domain/ledger.js';
import type { CoverageHeadline } from '../domain/metrics/coverage.js';
import type { ScanResult } from '../domain/types.js';
import type { LiveCheckRecord } from '../store/store.js';
import type { EnforcementPorts } from './enforcement-decisions.js';

export type { IamUserRef, UserCheckResult } from '../aws/user-check.js';
export type { LiveCheckRecord } from '../store/store.js';

export interface LatestScan {
  scan: ScanResult;
  /** When the next scheduled scan runs, when a scheduler knows. */
  nextScanAt?: Date;
}

/** What an on-demand scan left behind, besides the scan itself (which latestScan() then gives). */
export interface ScanNowReport {
  /** False when the scan failed (the bot's log says why): the latest scan is an older one. */
  finished: boolean;
  /** The latest scan after the run: the new one, or an older one when it failed; none before any scan. */
  latest?: LatestScan;
  /**
   * slack.digestChannel, and when the digest of these findings was posted there: now, or for an earlier scan that found
   * the same.
   */
  digest?: { channel: string; postedAt?: Date };
}

/**
 * Everything the Slack listeners need from the rest of the bot. The listeners depend on this and on
 * nothing else. Their one implementation is StorePorts (store-ports.ts), over the state store: the state file
 * or table for `serve` and the Lambda functions, an in-memory SQLite store for startServer without one.
 */
export interface BotPorts {
  /** The most recent completed scan; undefined while the first one is still running. */
  latestScan(): Promise<LatestScan | undefined>;
  /** For admins: coverage now and 90 days ago, the open cases and the oldest one. Undefined before any scan. */
  coverageHeadline?(now: Date): Promise<CoverageHeadline | undefined>;
  /** The IAM users the latest scan mapped to this Slack user, across every scanned account. */
  iamUsersOf(slackUserId: string): Promise<IamUserRef[]>;
  /** The Slack user an IAM user maps to in the latest scan. */
  slackIdentityOf(ref: IamUserRef): Promise<SlackIdentity | undefined>;
  /**
   * A live re-check of one IAM user: a constant number of IAM calls, judged by the same rules as a scan.
   * What it saw is kept (liveCheck), so every later answer shows it until a newer scan.
   */
  recheck(ref: IamUserRef): Promise<UserCheckResult>;
  /** The latest live check of this IAM user (a button, `--fresh`, a CloudTrail event), if one was kept. */
  liveCheck?(ref: IamUserRef): Promise<LiveCheckRecord | undefined>;
  /** No nudge about this IAM user before `until`. */
  snooze(ref: IamUserRef, until: Date, bySlackUserId: string): Promise<void>;
  /** Someone asked the security team for help with this IAM user. */
  recordHelpRequest(ref: IamUserRef, bySlackUserId: string, at: Date): Promise<void>;
  /** When this person last asked for help with this IAM user, if ever. */
  lastHelpRequest?(ref: IamUserRef, bySlackUserId: string): Promise<Date | undefined>;
  /**
   * A live check found the user compliant (or without a console login): the nudge cycle for it is over.
   * `replaced` is the nudge the app already turned into a thank-you, so no later run sends another.
   */
  markResolved(
    ref: IamUserRef,
    at: Date,
    replaced?: { channel: string; ts: string },
    resolution?: 'fixed' | 'no-console' | 'gone',
  ): Promise<void>;
  /**
   * The IAM user's open nudge case, if any: one a live check opened after a CloudTrail event knows more than an older
   * scan.
   */
  openCase?(ref: IamUserRef): Promise<NudgeCase | undefined>;
  /**
   * `/mfa-check scan`: scan, post the digest and send what is due, as the scheduled scan does. Absent where this host
   * cannot scan.
   */
  scanNow?(): Promise<ScanNowReport>;
  /**
   * Claims an incoming Slack request (event_id or trigger_id) for `ttlMs` in the shared state; false for a repeat.
   * Absent without a store.
   */
  claimRequest?(key: string, ttlMs: number): Promise<boolean>;
  /** The decisions on enforcement requests; absent where this host keeps no ledger. */
  enforcement?: EnforcementPorts;
}
