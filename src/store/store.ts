import type { GrantedExemption } from '../domain/exemptions.js';
import type { IdentityMap, SlackIdentity } from '../domain/identity.js';
import type { CaseKey, CaseStep, LedgerMessage, MessageKind, NudgeCase } from '../domain/ledger.js';
import type { CaseChange, LiveCheckResolution } from '../domain/nudge-cases.js';
import type { AccountScanSummary } from '../domain/trend.js';
import type { Partition, ScanResult, Verdict } from '../domain/types.js';

export interface ScanRef {
  id: number;
  scannedAt: Date;
  /** scanFingerprint(): equal for two scans that found the same thing in the same credential reports. */
  fingerprint: string;
}

export interface StoredScan extends ScanRef {
  scan: ScanResult;
}

export interface KnownIdentity {
  accountId: string;
  userName: string;
  identity: SlackIdentity;
  /** The scan that last resolved this mapping. */
  scanId: number;
}

/** What a delivery is about: one step of one case, or the digest of one scan to one channel. */
export type DeliveryKey =
  | { type: 'case'; case: CaseKey; step: CaseStep }
  | { type: 'digest'; channel: string; fingerprint: string };

export interface DeliveryRecord extends LedgerMessage {
  key: DeliveryKey;
}

export interface ClaimIntent {
  key: DeliveryKey;
  kind: MessageKind;
  recipient: string;
  /** Unique per attempt; carried in the message's metadata so a stale claim can be looked up in Slack. */
  claimId: string;
  at: Date;
  /** Who decided an enforcement step; kept with the record. */
  by?: string;
}

export type ClaimOutcome = { claimed: true; attempt: number } | { claimed: false; existing: DeliveryRecord };

export interface SnoozeRecord {
  accountId: string;
  userName: string;
  cycle?: number;
  at: Date;
  until: Date;
  by?: string;
}

export interface HelpRequest {
  accountId: string;
  userName: string;
  slackUserId: string;
  at: Date;
  /** Where the request was posted (slack.securityChannel) and its ts. */
  channel?: string;
  ts?: string;
  /** An idempotency key (e.g. the action's trigger_id): the same request is recorded once. */
  requestId?: string;
}

export type RecheckResolution = LiveCheckResolution;

/** What a live check of one IAM user saw (the buttons, `/mfa-check --fresh`, a CloudTrail event). */
export interface LiveCheckRecord {
  accountId: string;
  userName: string;
  checkedAt: Date;
  /** False when the IAM user no longer exists (then there are no verdicts). */
  found: boolean;
  partition?: Partition;
  /** The per-user verdicts, judged by the same rules as a scan. */
  verdicts: Verdict[];
}

/** Failed sends are retried on later runs up to this many attempts in all; then the step is abandoned. */
export const MAX_DELIVERY_ATTEMPTS = 5;

/**
 * Everything mfa-bot remembers between runs. Async and free of SQL so that a DynamoDB table can stand
 * behind it as well as the SQLite file: every write that must happen once is a conditional write
 * (claim, applyCaseChanges' open, markSent…) that a second process racing on the same state loses.
 */
export interface StateStore {
  /** The file (or table) behind it, for messages. */
  readonly location: string;

  // ---- scans ------------------------------------------------------------------------------------
  /** Records a scan's verdicts and the Slack identities resolved for it. */
  saveScan(scan: ScanResult, identities: IdentityMap): Promise<ScanRef>;
  latestScan(): Promise<StoredScan | undefined>;
  /** The scan saved just before `scanId`, for "what changed". */
  scanBefore(scanId: number): Promise<StoredScan | undefined>;
  /** Per scan per account counts, oldest first: the last `lastScans` scans (all when absent). */
  scanSummaries(options?: { accountId?: string; lastScans?: number }): Promise<AccountScanSummary[]>;
  /**
   * Drops the verdicts of every scan but the latest `keep`; their per-account counts stay, for `history`
   * and the trends. Returns how many scans lost their verdicts now.
   */
  pruneScans(keep: number): Promise<number>;
  /** One IAM user's verdicts (every check) in the latest scan that covered the account. */
  userVerdicts(accountId: string, userName: string): Promise<{ scan: ScanRef; verdicts: Verdict[] } | undefined>;

  // ---- identities -------------------------------------------------------------------------------
  /** The mappings resolved at one scan. */
  identitiesAt(scanId: number): Promise<IdentityMap>;
  /** The Slack user an IAM user was last mapped to. */
  identityOf(accountId: string, userName: string): Promise<KnownIdentity | undefined>;
  /** Every IAM user (in any account) last mapped to this Slack user: `/mfa-check me`. */
  identitiesOf(slackUserId: string): Promise<KnownIdentity[]>;
  /** Every IAM user's last mapping, whichever scan resolved it (people who are fine now included). */
  knownIdentities(): Promise<IdentityMap>;
  /** A live check mapped this IAM user between scans: kept like a mapping of the latest scan. */
  rememberIdentity(accountId: string, userName: string, identity: SlackIdentity): Promise<void>;
  /** Slack user → IANA time zone, as last seen. */
  timeZones(): Promise<Map<string, string>>;
  /** Drops an IAM user's last mapping (an identity conflict): no DM, button or `/mfa-check me` follows it any more. */
  forgetIdentity(accountId: string, userName: string): Promise<void>;

  // ---- what Slack did not know ------------------------------------------------------------------
  /** Lower-cased e-mail addresses users.lookupByEmail found no active member for, whose memory lasts past `now`. */
  emailMisses(now: Date): Promise<Set<string>>;
  /** Remembers addresses users.lookupByEmail found no one for, until `until`, so no cycle asks again before then. */
  rememberEmailMisses(emails: readonly string[], until: Date): Promise<void>;

  // ---- the nudge ledger ---------------------------------------------------------------------------
  /** Cases with their messages; `latestOnly`: each user's latest case (open, or the last resolved one). */
  cases(filter?: { accountId?: string; userName?: string; latestOnly?: boolean }): Promise<NudgeCase[]>;
  /** Opens are conditional (one open case per user, one row per cycle); resolves apply only to open cases. */
  applyCaseChanges(changes: readonly CaseChange[]): Promise<void>;
  /** Moves the open case's next nudge to `until`; false when the user has no open case. */
  snooze(accountId: string, userName: string, until: Date, options?: { at?: Date; by?: string }): Promise<boolean>;
  /** Oldest first; every user's when no user is named. */
  snoozes(filter?: { accountId?: string; userName?: string }): Promise<SnoozeRecord[]>;
  /** False when a request with the same requestId was already recorded. */
  recordHelpRequest(request: HelpRequest): Promise<boolean>;
  /** Oldest first; every user's when no user is named. */
  helpRequests(filter?: { accountId?: string; userName?: string }): Promise<HelpRequest[]>;
  /**
   * A live re-check (the "check again" button) found MFA on: resolves the open case as fixed. With
   * `thanked`, the app already replaced the nudge with a thank-you there, so no run sends another.
   */
  resolveByRecheck(accountId: string, userName: string, at: Date, options?: RecheckResolution): Promise<boolean>;

  // ---- exemptions granted in Slack ----------------------------------------------------------------
  /** Keeps an exemption an approver granted with the Exempt… button. */
  grantExemption(exemption: GrantedExemption): Promise<void>;
  /** Every granted exemption, expired ones included (a lapsed one explains why a finding fails again). */
  grantedExemptions(): Promise<GrantedExemption[]>;

  // ---- live checks --------------------------------------------------------------------------------
  /** Keeps the latest live check of each IAM user; one older than the kept one changes nothing. */
  recordLiveCheck(check: LiveCheckRecord): Promise<void>;
  /** The latest live check of this IAM user, if any. */
  liveCheck(accountId: string, userName: string): Promise<LiveCheckRecord | undefined>;

  // ---- exactly once -------------------------------------------------------------------------------
  /** Records the intent to send before sending; only one claimant of a key wins. A failed one can be claimed again. */
  claim(intent: ClaimIntent): Promise<ClaimOutcome>;
  markSent(claimId: string, sent: { at: Date; channel?: string; ts?: string }): Promise<boolean>;
  /** Slack refused it: not sent. Retryable ones may be claimed again (up to MAX_DELIVERY_ATTEMPTS). */
  markFailed(claimId: string, error: string, options: { retryable: boolean }): Promise<boolean>;
  /**
   * Certainly not posted, and not Slack's refusal of the message (a 429 waited out, a shutdown while
   * waiting): claimable again, and the attempt does not count against MAX_DELIVERY_ATTEMPTS.
   */
  releaseClaim(claimId: string, note: string): Promise<boolean>;
  /** A stale claim Slack could not confirm either way: counted as sent, never re-sent. */
  markUnconfirmed(claimId: string, note: string): Promise<boolean>;
  /** Claims still without an outcome that were made before `claimedBefore`. */
  staleClaims(claimedBefore: Date): Promise<DeliveryRecord[]>;
  delivery(key: DeliveryKey): Promise<DeliveryRecord | undefined>;
  /**
   * The first claim of an incoming Slack request (its event_id or trigger_id) wins until `expiresAt`; a repeat
   * before then, from this process or another one on the same state, gets false. Expired claims may be claimed again.
   */
  claimRequest(key: string, at: Date, expiresAt: Date): Promise<boolean>;

  close(): Promise<void>;
}
