import { ALL_CHECKS } from '../domain/checks/registry.js';
import type { SlackIdentity } from '../domain/identity.js';
import type {
  CaseResolution,
  LedgerMessage,
  LiveObservation,
  MessageKind,
  MessageState,
  NudgeCase,
} from '../domain/ledger.js';
import type { GrantedExemption } from '../domain/exemptions.js';
import { countsOf, type AccountScanSummary } from '../domain/trend.js';
import type { AccountResult, CheckId, Partition, RootMfaKind, Status, Verdict } from '../domain/types.js';
import type { DeliveryKey, DeliveryRecord, HelpRequest, SnoozeRecord } from './store.js';

/**
 * The records both stores keep (the SQLite tables' columns; DynamoDB items carry the same attributes), and their
 * conversion to and from the domain types.
 */

export interface ScanAccountRow {
  scan_id: number;
  account_id: string;
  partition: string;
  alias: string | null;
  /** The account's name in AWS Organizations (absent from rows written before it was kept). */
  name?: string | null;
  report_generated_at: string | null;
  root_mfa: string;
  root_credentials_present: number | null;
  error_code: string | null;
  error_message: string | null;
  error_hint: string | null;
  users_pass: number;
  users_fail: number;
  users_grace: number;
  users_exempt: number;
  failing: number;
}

export interface VerdictRow {
  scan_id: number;
  account_id: string;
  principal: string;
  check_id: string;
  arn: string;
  status: string;
  reason: string;
  deadline: string | null;
  exemption_reason: string | null;
  exemption_expires: string | null;
  /** Absent from rows written before it was kept. */
  keys_last_used?: string | null;
}

export interface IdentityRow {
  account_id: string;
  user_name: string;
  slack_user_id: string;
  via: string;
  email: string | null;
  tz: string | null;
  scan_id: number;
}

export interface CaseRow {
  id: number;
  account_id: string;
  user_name: string;
  cycle: number;
  opened_at: string;
  opened_status: string;
  snoozed_until: string | null;
  resolved_at: string | null;
  resolution: string | null;
  /** JSON of the LiveObservation, for a case a live check opened. */
  live: string | null;
}

export interface DeliveryRow {
  subject: string;
  case_id: number | null;
  step: string | null;
  kind: string;
  recipient: string;
  claim_id: string;
  claimed_at: string;
  attempts: number;
  state: string;
  sent_at: string | null;
  channel: string | null;
  ts: string | null;
  error: string | null;
  /** The Slack user who decided an enforcement step (absent from rows written before it was kept). */
  decided_by?: string | null;
}

export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | undefined): string | null => (d ? d.toISOString() : null);
const date = (s: string | null): Date | undefined => (s === null ? undefined : new Date(s));

// Check metadata (severity, controls, remediation) lives in the code, not in every stored row.
const CHECKS = new Map(ALL_CHECKS.map((c) => [c.id, c]));

export function verdictRow(scanId: number, accountId: string, v: Verdict): VerdictRow {
  return {
    scan_id: scanId,
    account_id: accountId,
    principal: v.principal,
    check_id: v.check,
    arn: v.arn,
    status: v.status,
    reason: v.reason,
    deadline: isoOrNull(v.deadline),
    exemption_reason: v.exemption?.reason ?? null,
    exemption_expires: isoOrNull(v.exemption?.expires),
    keys_last_used: isoOrNull(v.keysLastUsed),
  };
}

export function verdictFromRow(r: VerdictRow): Verdict {
  const check = CHECKS.get(r.check_id as CheckId);
  const deadline = date(r.deadline);
  const expires = date(r.exemption_expires);
  const keysLastUsed = date(r.keys_last_used ?? null);
  return {
    check: r.check_id as CheckId,
    accountId: r.account_id,
    principal: r.principal,
    arn: r.arn,
    status: r.status as Status,
    severity: check?.severity ?? 'high',
    reason: r.reason,
    controls: check?.controls ?? [],
    remediation: check?.remediation ?? '',
    ...(deadline ? { deadline } : {}),
    ...(r.exemption_reason !== null && expires ? { exemption: { reason: r.exemption_reason, expires } } : {}),
    ...(keysLastUsed ? { keysLastUsed } : {}),
  };
}

export function accountFromRow(r: ScanAccountRow, verdicts: Verdict[]): AccountResult {
  const report = date(r.report_generated_at);
  return {
    accountId: r.account_id,
    partition: r.partition as Partition,
    ...(r.alias !== null ? { alias: r.alias } : {}),
    ...(r.name ? { name: r.name } : {}),
    ...(report ? { credentialReportGeneratedAt: report } : {}),
    rootMfa: r.root_mfa as RootMfaKind,
    ...(r.root_credentials_present !== null ? { rootCredentialsPresent: r.root_credentials_present === 1 } : {}),
    ...(r.error_code !== null
      ? {
          error: {
            code: r.error_code,
            message: r.error_message ?? '',
            ...(r.error_hint !== null ? { hint: r.error_hint } : {}),
          },
        }
      : {}),
    verdicts,
  };
}

export function summaryFromRow(r: ScanAccountRow & { scanned_at: string }): AccountScanSummary {
  return {
    scanId: r.scan_id,
    scannedAt: new Date(r.scanned_at),
    accountId: r.account_id,
    ...(r.alias !== null ? { alias: r.alias } : {}),
    ...(r.name ? { name: r.name } : {}),
    ...(r.error_code !== null ? { errorCode: r.error_code } : {}),
    rootMfa: r.root_mfa as RootMfaKind,
    ...(r.root_credentials_present !== null ? { rootCredentialsPresent: r.root_credentials_present === 1 } : {}),
    users: { pass: r.users_pass, fail: r.users_fail, grace: r.users_grace, exempt: r.users_exempt },
    failing: r.failing,
  };
}

/** The row of one mapping, keyed by identityKey() (`account/user`; IAM names have no slash). */
export function identityRow(key: string, who: SlackIdentity, scanId: number): IdentityRow {
  const slash = key.indexOf('/');
  return {
    account_id: key.slice(0, slash),
    user_name: key.slice(slash + 1),
    slack_user_id: who.slackUserId,
    via: who.via,
    email: who.email ?? null,
    tz: who.tz ?? null,
    scan_id: scanId,
  };
}

export function identityFromRow(r: IdentityRow): SlackIdentity {
  return {
    slackUserId: r.slack_user_id,
    via: r.via as SlackIdentity['via'],
    ...(r.email !== null ? { email: r.email } : {}),
    ...(r.tz !== null ? { tz: r.tz } : {}),
  };
}

export function messageFromRow(r: Omit<DeliveryRow, 'subject' | 'case_id'>): LedgerMessage {
  // Optional fields set one by one (not spread in): this runs once per message of the whole ledger in `report`.
  const m: LedgerMessage = {
    step: r.step ?? r.kind,
    kind: r.kind as MessageKind,
    recipient: r.recipient,
    claimId: r.claim_id,
    claimedAt: new Date(r.claimed_at),
    attempts: r.attempts,
    state: r.state as MessageState,
  };
  if (r.sent_at) m.sentAt = new Date(r.sent_at);
  if (r.channel !== null) m.channel = r.channel;
  if (r.ts !== null) m.ts = r.ts;
  if (r.error !== null) m.error = r.error;
  if (r.decided_by) m.by = r.decided_by;
  return m;
}

/**
 * The deliveries columns of a case's messages as SQLite's `json_array` (one array per message, in this order):
 * one JSON text per case parses far faster than a row object per message (`report` reads the whole ledger).
 */
export const MESSAGE_JSON_COLUMNS =
  'step, kind, recipient, claim_id, claimed_at, attempts, state, sent_at, channel, ts, error, decided_by';

type MessageJson = [string | null, string, string, string, string, number, string, ...Array<string | null>];

/** A case's messages from `json_group_array(json_array(MESSAGE_JSON_COLUMNS))`. */
export function messagesFromJson(json: string): LedgerMessage[] {
  return (JSON.parse(json) as MessageJson[]).map(
    ([step, kind, recipient, claim_id, claimed_at, attempts, state, sent_at, channel, ts, error, decided_by]) =>
      messageFromRow({
        step,
        kind,
        recipient,
        claim_id,
        claimed_at,
        attempts,
        state,
        sent_at: sent_at ?? null,
        channel: channel ?? null,
        ts: ts ?? null,
        error: error ?? null,
        decided_by: decided_by ?? null,
      }),
  );
}

export function liveColumn(live: LiveObservation | undefined): string | null {
  return live
    ? JSON.stringify({
        verdict: verdictRow(0, live.verdict.accountId, live.verdict),
        ...(live.identity ? { identity: live.identity } : {}),
      })
    : null;
}

function liveFromColumn(json: string | null | undefined): LiveObservation | undefined {
  if (!json) return undefined;
  const parsed = JSON.parse(json) as { verdict: VerdictRow; identity?: SlackIdentity };
  return { verdict: verdictFromRow(parsed.verdict), ...(parsed.identity ? { identity: parsed.identity } : {}) };
}

export function caseFromRow(r: CaseRow, messages: LedgerMessage[]): NudgeCase {
  const snoozedUntil = date(r.snoozed_until);
  const resolvedAt = date(r.resolved_at);
  const live = liveFromColumn(r.live);
  return {
    accountId: r.account_id,
    userName: r.user_name,
    cycle: r.cycle,
    openedAt: new Date(r.opened_at),
    openedStatus: r.opened_status as NudgeCase['openedStatus'],
    ...(live ? { live } : {}),
    ...(snoozedUntil ? { snoozedUntil } : {}),
    ...(resolvedAt ? { resolvedAt, resolution: (r.resolution ?? 'fixed') as CaseResolution } : {}),
    messages,
  };
}

export function subjectOf(key: DeliveryKey): string {
  return key.type === 'digest'
    ? `digest:${key.channel}:${key.fingerprint}`
    : `case:${key.case.accountId}/${key.case.userName}#${key.case.cycle}:${key.step}`;
}

export function deliveryFromRow(
  r: DeliveryRow & { account_id?: string | null; user_name?: string | null; cycle?: number | null },
): DeliveryRecord {
  // By subject, not kind: a digest-type key also carries claims that are not digests (the chart, a root deletion).
  const key: DeliveryKey = r.subject.startsWith('digest:')
    ? { type: 'digest', channel: r.recipient, fingerprint: r.subject.slice(`digest:${r.recipient}:`.length) }
    : {
        type: 'case',
        case: { accountId: r.account_id ?? '', userName: r.user_name ?? '', cycle: r.cycle ?? 0 },
        step: r.step ?? r.kind,
      };
  return { ...messageFromRow(r), key };
}

/** What a scan row counts for one account: console users by status, and failing findings. */
export function accountRow(scanId: number, a: AccountResult): ScanAccountRow {
  const { users, failing } = countsOf(a);
  return {
    scan_id: scanId,
    account_id: a.accountId,
    partition: a.partition,
    alias: a.alias ?? null,
    name: a.name ?? null,
    report_generated_at: isoOrNull(a.credentialReportGeneratedAt),
    root_mfa: a.rootMfa,
    root_credentials_present: a.rootCredentialsPresent === undefined ? null : Number(a.rootCredentialsPresent),
    error_code: a.error?.code ?? null,
    error_message: a.error?.message ?? null,
    error_hint: a.error?.hint ?? null,
    users_pass: users.pass,
    users_fail: users.fail,
    users_grace: users.grace,
    users_exempt: users.exempt,
    failing,
  };
}

export interface HelpRequestRow {
  account_id: string;
  user_name: string;
  slack_user_id: string;
  at: string;
  channel: string | null;
  ts: string | null;
  request_id: string | null;
}

export function helpRequestFromRow(r: HelpRequestRow): HelpRequest {
  return {
    accountId: r.account_id,
    userName: r.user_name,
    slackUserId: r.slack_user_id,
    at: new Date(r.at),
    ...(r.channel !== null ? { channel: r.channel } : {}),
    ...(r.ts !== null ? { ts: r.ts } : {}),
    ...(r.request_id !== null ? { requestId: r.request_id } : {}),
  };
}

/** A snooze as both stores read it back: the snooze joined with its case's account, user and cycle. */
export interface SnoozeRow {
  account_id: string;
  user_name: string;
  cycle: number;
  at: string;
  until: string;
  by: string | null;
}

export function snoozeFromRow(r: SnoozeRow): SnoozeRecord {
  return {
    accountId: r.account_id,
    userName: r.user_name,
    cycle: r.cycle,
    at: new Date(r.at),
    until: new Date(r.until),
    ...(r.by !== null ? { by: r.by } : {}),
  };
}

export interface ExemptionRow {
  account_id: string;
  principal: string;
  reason: string;
  expires: string;
  granted_by: string;
  granted_at: string;
}

export function exemptionRow(e: GrantedExemption): ExemptionRow {
  return {
    account_id: e.account,
    principal: e.principal,
    reason: e.reason,
    expires: iso(e.expires),
    granted_by: e.grantedBy,
    granted_at: iso(e.grantedAt),
  };
}

export function exemptionFromRow(r: ExemptionRow): GrantedExemption {
  return {
    account: r.account_id,
    principal: r.principal,
    reason: r.reason,
    expires: new Date(r.expires),
    grantedBy: r.granted_by,
    grantedAt: new Date(r.granted_at),
  };
}
