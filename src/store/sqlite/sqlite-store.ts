import { randomUUID } from 'node:crypto';
import { deepFreeze } from '../../util/deep-freeze.js';
import type Database from 'better-sqlite3';
import type { GrantedExemption } from '../../domain/exemptions.js';
import type { IdentityMap, SlackIdentity } from '../../domain/identity.js';
import { identityKey } from '../../domain/identity.js';
import type { NudgeCase } from '../../domain/ledger.js';
import { closeAfterLiveCheck, type CaseChange } from '../../domain/nudge-cases.js';
import { scanFingerprint } from '../../domain/scan-fingerprint.js';
import type { AccountScanSummary } from '../../domain/trend.js';
import type { ScanResult, Verdict } from '../../domain/types.js';
import {
  MAX_DELIVERY_ATTEMPTS,
  type ClaimIntent,
  type ClaimOutcome,
  type DeliveryKey,
  type DeliveryRecord,
  type HelpRequest,
  type KnownIdentity,
  type LiveCheckRecord,
  type RecheckResolution,
  type ScanRef,
  type SnoozeRecord,
  type StateStore,
  type StoredScan,
} from '../store.js';
import { liveCheckFromRow, liveCheckRow, type LiveCheckRow } from '../live-check-records.js';
import { openMemoryDatabase, openSqliteDatabase, type OpenMode } from './open-database.js';
import {
  accountFromRow,
  caseFromRow,
  exemptionFromRow,
  exemptionRow,
  type ExemptionRow,
  deliveryFromRow,
  identityFromRow,
  identityRow,
  iso,
  liveColumn,
  verdictRow,
  accountRow,
  helpRequestFromRow,
  type HelpRequestRow,
  MESSAGE_JSON_COLUMNS,
  messagesFromJson,
  subjectOf,
  summaryFromRow,
  verdictFromRow,
  type CaseRow,
  type DeliveryRow,
  type IdentityRow,
  type ScanAccountRow,
  type VerdictRow,
  snoozeFromRow,
  type SnoozeRow,
} from '../records.js';
import { GroupCommit } from './group-commit.js';

/**
 * The StateStore in one SQLite file (better-sqlite3, WAL). Every method is synchronous underneath; the
 * "only one wins" writes run in BEGIN IMMEDIATE transactions, so two processes on the same file queue
 * for the write lock (busy_timeout) and the second sees what the first did.
 */
export class SqliteStateStore implements StateStore {
  private readonly writes: GroupCommit;
  /**
   * The latest scan, read once: every /mfa-check and App Home answers from it, and reading 500 verdicts took about
   * 2.5 ms of the event loop per answer, before the acknowledgement went out. A saved scan never changes, and
   * the newest row's ID says whether another process saved a newer one. Frozen: readers share it.
   */
  private latest?: StoredScan;

  private constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {
    this.writes = new GroupCommit(db);
  }

  static open(path: string, options: { mode?: OpenMode; now?: Date } = {}): SqliteStateStore {
    const { db, location } = openSqliteDatabase(path, {
      mode: options.mode ?? 'write',
      now: options.now ?? new Date(),
    });
    const labels = { write: location, snapshot: `${location} (read-only copy)`, read: `${location} (read-only)` };
    return new SqliteStateStore(db, labels[options.mode ?? 'write']);
  }

  /** Empty state that lives and dies with the object. */
  static inMemory(now: Date = new Date()): SqliteStateStore {
    return new SqliteStateStore(openMemoryDatabase(now), ':memory:');
  }

  // ---- scans ------------------------------------------------------------------------------------

  async saveScan(scan: ScanResult, identities: IdentityMap): Promise<ScanRef> {
    const fingerprint = scanFingerprint(scan);
    const insertScan = this.db.prepare('INSERT INTO scans (scanned_at, fingerprint) VALUES (?, ?)');
    const insertAccount = this.db.prepare(`
      INSERT INTO scan_accounts (scan_id, account_id, partition, alias, name, report_generated_at,
        root_mfa, root_credentials_present,
        error_code, error_message, error_hint, users_pass, users_fail, users_grace, users_exempt, failing)
      VALUES (@scan_id, @account_id, @partition, @alias, @name, @report_generated_at,
        @root_mfa, @root_credentials_present,
        @error_code, @error_message, @error_hint, @users_pass, @users_fail, @users_grace, @users_exempt, @failing)`);
    const insertVerdict = this.db.prepare(`
      INSERT OR REPLACE INTO verdicts
        (scan_id, account_id, principal, check_id, arn, status, reason, deadline, exemption_reason, exemption_expires,
          keys_last_used)
      VALUES (@scan_id, @account_id, @principal, @check_id, @arn, @status, @reason, @deadline,
        @exemption_reason, @exemption_expires, @keys_last_used)`);
    const upsertIdentity = this.upsertIdentity();
    const id = this.db
      .transaction(() => {
        const scanId = Number(insertScan.run(iso(scan.generatedAt), fingerprint).lastInsertRowid);
        for (const a of scan.accounts) {
          insertAccount.run(accountRow(scanId, a));
          for (const v of a.verdicts) insertVerdict.run(verdictRow(scanId, a.accountId, v));
        }
        for (const [key, who] of identities) upsertIdentity.run(identityRow(key, who, scanId));
        return scanId;
      })
      .immediate();
    return { id, scannedAt: scan.generatedAt, fingerprint };
  }

  private loadScan(row: { id: number; scanned_at: string; fingerprint: string } | undefined): StoredScan | undefined {
    if (!row) return undefined;
    const accounts = this.db
      .prepare('SELECT * FROM scan_accounts WHERE scan_id = ? ORDER BY account_id')
      .all(row.id) as ScanAccountRow[];
    const verdicts = this.db.prepare('SELECT * FROM verdicts WHERE scan_id = ?').all(row.id) as VerdictRow[];
    const byAccount = new Map<string, Verdict[]>();
    for (const v of verdicts) {
      const list = byAccount.get(v.account_id) ?? [];
      list.push(verdictFromRow(v));
      byAccount.set(v.account_id, list);
    }
    const scannedAt = new Date(row.scanned_at);
    return {
      id: row.id,
      scannedAt,
      fingerprint: row.fingerprint,
      scan: {
        generatedAt: scannedAt,
        accounts: accounts.map((a) => accountFromRow(a, byAccount.get(a.account_id) ?? [])),
      },
    };
  }

  private upsertIdentity() {
    return this.db.prepare(`
      INSERT INTO identities (account_id, user_name, slack_user_id, via, email, tz, scan_id)
      VALUES (@account_id, @user_name, @slack_user_id, @via, @email, @tz, @scan_id)
      ON CONFLICT (account_id, user_name) DO UPDATE SET
        slack_user_id = excluded.slack_user_id, via = excluded.via, email = excluded.email, tz = excluded.tz,
        scan_id = excluded.scan_id`);
  }

  async rememberIdentity(accountId: string, userName: string, identity: SlackIdentity): Promise<void> {
    this.db
      .transaction(() => {
        const latest = this.db.prepare('SELECT coalesce(max(id), 0) AS id FROM scans').get() as { id: number };
        this.upsertIdentity().run(identityRow(identityKey(accountId, userName), identity, latest.id));
      })
      .immediate();
  }

  async latestScan(): Promise<StoredScan | undefined> {
    const row = this.db.prepare('SELECT * FROM scans ORDER BY id DESC LIMIT 1').get() as
      | { id: number; scanned_at: string; fingerprint: string }
      | undefined;
    if (!row) return undefined;
    if (this.latest?.id !== row.id) this.latest = deepFreeze(this.loadScan(row));
    return this.latest;
  }

  async scanBefore(scanId: number): Promise<StoredScan | undefined> {
    return this.loadScan(
      this.db.prepare('SELECT * FROM scans WHERE id < ? ORDER BY id DESC LIMIT 1').get(scanId) as never,
    );
  }

  async scanSummaries(options: { accountId?: string; lastScans?: number } = {}): Promise<AccountScanSummary[]> {
    const rows = this.db
      .prepare(
        `SELECT sa.*, s.scanned_at FROM scan_accounts sa JOIN scans s ON s.id = sa.scan_id
         WHERE (@account IS NULL OR sa.account_id = @account)
           AND sa.scan_id >= coalesce((SELECT min(id) FROM (SELECT DISTINCT scan_id AS id FROM scan_accounts
                 WHERE @account IS NULL OR account_id = @account ORDER BY scan_id DESC LIMIT @limit)), 0)
         ORDER BY sa.scan_id, sa.account_id`,
      )
      .all({ account: options.accountId ?? null, limit: options.lastScans ?? -1 }) as Array<
      ScanAccountRow & { scanned_at: string }
    >;
    return rows.map(summaryFromRow);
  }

  async pruneScans(keep: number): Promise<number> {
    return this.db
      .transaction(() => {
        const oldestKept = this.db
          .prepare('SELECT id FROM scans ORDER BY id DESC LIMIT 1 OFFSET ?')
          .get(Math.max(1, keep) - 1) as { id: number } | undefined;
        if (!oldestKept) return 0;
        const { n } = this.db
          .prepare('SELECT count(DISTINCT scan_id) AS n FROM verdicts WHERE scan_id < ?')
          .get(oldestKept.id) as { n: number };
        this.db.prepare('DELETE FROM verdicts WHERE scan_id < ?').run(oldestKept.id);
        return n;
      })
      .immediate();
  }

  async userVerdicts(accountId: string, userName: string): Promise<{ scan: ScanRef; verdicts: Verdict[] } | undefined> {
    const scan = this.db
      .prepare(
        'SELECT s.* FROM scans s JOIN scan_accounts sa ON sa.scan_id = s.id ' +
          'WHERE sa.account_id = ? ORDER BY s.id DESC LIMIT 1',
      )
      .get(accountId) as { id: number; scanned_at: string; fingerprint: string } | undefined;
    if (!scan) return undefined;
    const rows = this.db
      .prepare('SELECT * FROM verdicts WHERE scan_id = ? AND account_id = ? AND principal = ?')
      .all(scan.id, accountId, userName) as VerdictRow[];
    return {
      scan: { id: scan.id, scannedAt: new Date(scan.scanned_at), fingerprint: scan.fingerprint },
      verdicts: rows.map(verdictFromRow),
    };
  }

  // ---- identities -------------------------------------------------------------------------------

  async identitiesAt(scanId: number): Promise<IdentityMap> {
    const rows = this.db.prepare('SELECT * FROM identities WHERE scan_id = ?').all(scanId) as IdentityRow[];
    return new Map<string, SlackIdentity>(
      rows.map((r) => [identityKey(r.account_id, r.user_name), identityFromRow(r)]),
    );
  }

  async knownIdentities(): Promise<IdentityMap> {
    const rows = this.db.prepare('SELECT * FROM identities').all() as IdentityRow[];
    return new Map<string, SlackIdentity>(
      rows.map((r) => [identityKey(r.account_id, r.user_name), identityFromRow(r)]),
    );
  }

  async identityOf(accountId: string, userName: string): Promise<KnownIdentity | undefined> {
    const r = this.db
      .prepare('SELECT * FROM identities WHERE account_id = ? AND user_name = ?')
      .get(accountId, userName) as IdentityRow | undefined;
    return r
      ? { accountId: r.account_id, userName: r.user_name, identity: identityFromRow(r), scanId: r.scan_id }
      : undefined;
  }

  async identitiesOf(slackUserId: string): Promise<KnownIdentity[]> {
    const rows = this.db
      .prepare('SELECT * FROM identities WHERE slack_user_id = ? ORDER BY account_id, user_name')
      .all(slackUserId) as IdentityRow[];
    return rows.map((r) => ({
      accountId: r.account_id,
      userName: r.user_name,
      identity: identityFromRow(r),
      scanId: r.scan_id,
    }));
  }

  async timeZones(): Promise<Map<string, string>> {
    const rows = this.db
      .prepare('SELECT slack_user_id, tz FROM identities WHERE tz IS NOT NULL ORDER BY scan_id')
      .all() as Array<{ slack_user_id: string; tz: string }>;
    return new Map(rows.map((r) => [r.slack_user_id, r.tz]));
  }

  async forgetIdentity(accountId: string, userName: string): Promise<void> {
    this.db.prepare('DELETE FROM identities WHERE account_id = ? AND user_name = ?').run(accountId, userName);
  }

  // ---- what Slack did not know ------------------------------------------------------------------

  async emailMisses(now: Date): Promise<Set<string>> {
    const rows = this.db.prepare('SELECT email FROM email_misses WHERE expires_at > ?').all(iso(now)) as Array<{
      email: string;
    }>;
    return new Set(rows.map((r) => r.email));
  }

  async rememberEmailMisses(emails: readonly string[], until: Date): Promise<void> {
    const upsert = this.db.prepare(
      'INSERT INTO email_misses (email, expires_at) VALUES (?, ?) ON ' +
        'CONFLICT (email) DO UPDATE SET expires_at = excluded.expires_at',
    );
    this.db
      .transaction(() => {
        for (const email of emails) upsert.run(email.toLowerCase(), iso(until));
      })
      .immediate();
  }

  // ---- the nudge ledger ---------------------------------------------------------------------------

  async cases(filter: { accountId?: string; userName?: string; latestOnly?: boolean } = {}): Promise<NudgeCase[]> {
    const where = `(@account IS NULL OR account_id = @account) AND (@user IS NULL OR user_name = @user)`;
    const caseQuery = filter.latestOnly
      ? 'SELECT * FROM nudge_cases WHERE id IN (SELECT max(id) FROM ' +
        `nudge_cases WHERE ${where} GROUP BY account_id, user_name)`
      : `SELECT * FROM nudge_cases WHERE ${where}`;
    const params = { account: filter.accountId ?? null, user: filter.userName ?? null };
    // Each case with its messages as one JSON text, oldest claim first (ties in the order claimed).
    const rows = this.db
      .prepare(
        `SELECT c.*, (SELECT json_group_array(json_array(${MESSAGE_JSON_COLUMNS}) ORDER BY d.claimed_at, d.rowid)
           FROM deliveries d WHERE d.case_id = c.id) AS messages FROM (${caseQuery}) c ORDER BY c.id`,
      )
      .all(params) as Array<CaseRow & { messages: string }>;
    return rows.map((c) => caseFromRow(c, messagesFromJson(c.messages)));
  }

  async applyCaseChanges(changes: readonly CaseChange[]): Promise<void> {
    if (changes.length === 0) return;
    // OR IGNORE: a racing process that opened the same case (same cycle, or any open one) already won.
    const open = this.db.prepare(
      'INSERT OR IGNORE INTO nudge_cases (account_id, user_name, ' +
        'cycle, opened_at, opened_status, live) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const resolve = this.db.prepare(
      'UPDATE nudge_cases SET resolved_at = ?, resolution = ? WHERE ' +
        'account_id = ? AND user_name = ? AND cycle = ? AND resolved_at IS NULL',
    );
    this.db
      .transaction(() => {
        for (const c of changes) {
          if (c.type === 'open') open.run(c.accountId, c.userName, c.cycle, iso(c.at), c.status, liveColumn(c.live));
          else resolve.run(iso(c.at), c.resolution, c.key.accountId, c.key.userName, c.key.cycle);
        }
      })
      .immediate();
  }

  private openCaseId(accountId: string, userName: string): number | undefined {
    const row = this.db
      .prepare('SELECT id FROM nudge_cases WHERE account_id = ? AND user_name = ? AND resolved_at IS NULL')
      .get(accountId, userName) as { id: number } | undefined;
    return row?.id;
  }

  async snooze(
    accountId: string,
    userName: string,
    until: Date,
    options: { at?: Date; by?: string } = {},
  ): Promise<boolean> {
    return this.db
      .transaction(() => {
        const id = this.openCaseId(accountId, userName);
        if (id === undefined) return false;
        this.db.prepare('UPDATE nudge_cases SET snoozed_until = ? WHERE id = ?').run(iso(until), id);
        this.db
          .prepare('INSERT INTO snoozes (case_id, at, until, by) VALUES (?, ?, ?, ?)')
          .run(id, iso(options.at ?? new Date()), iso(until), options.by ?? null);
        return true;
      })
      .immediate();
  }

  async snoozes(filter: { accountId?: string; userName?: string } = {}): Promise<SnoozeRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT s.*, c.account_id, c.user_name, c.cycle FROM snoozes s JOIN nudge_cases c ON c.id = s.case_id
         WHERE (@user IS NULL OR c.user_name = @user) AND (@account IS NULL OR c.account_id = @account)
         ORDER BY s.at, s.id`,
      )
      .all({ user: filter.userName ?? null, account: filter.accountId ?? null }) as SnoozeRow[];
    return rows.map(snoozeFromRow);
  }

  async recordHelpRequest(request: HelpRequest): Promise<boolean> {
    const result = this.db
      .prepare(
        'INSERT OR IGNORE INTO help_requests (account_id, user_name, ' +
          'slack_user_id, at, channel, ts, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        request.accountId,
        request.userName,
        request.slackUserId,
        iso(request.at),
        request.channel ?? null,
        request.ts ?? null,
        request.requestId ?? null,
      );
    return result.changes === 1;
  }

  async helpRequests(filter: { accountId?: string; userName?: string } = {}): Promise<HelpRequest[]> {
    const rows = this.db
      .prepare(
        'SELECT * FROM help_requests WHERE (@user IS NULL OR user_name = @user) AND ' +
          '(@account IS NULL OR account_id = @account) ORDER BY at, id',
      )
      .all({ user: filter.userName ?? null, account: filter.accountId ?? null }) as HelpRequestRow[];
    return rows.map(helpRequestFromRow);
  }

  async resolveByRecheck(
    accountId: string,
    userName: string,
    at: Date,
    options: RecheckResolution = {},
  ): Promise<boolean> {
    return this.db
      .transaction(() => {
        const id = this.openCaseId(accountId, userName);
        if (id === undefined) return false;
        const { cycle } = this.db.prepare('SELECT cycle FROM nudge_cases WHERE id = ?').get(id) as Pick<
          CaseRow,
          'cycle'
        >;
        const { resolve, sent } = closeAfterLiveCheck({ accountId, userName, cycle }, at, options);
        this.db
          .prepare('UPDATE nudge_cases SET resolved_at = ?, resolution = ? WHERE id = ?')
          .run(iso(resolve.at), resolve.resolution, id);
        const insert = this.db.prepare(
          `INSERT OR IGNORE INTO deliveries
           (subject, case_id, step, kind, recipient, claim_id, claimed_at, attempts, state, sent_at, channel, ts)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'sent', ?, ?, ?)`,
        );
        for (const m of sent) {
          insert.run(
            subjectOf({ type: 'case', case: resolve.key, step: m.step }),
            id,
            m.step,
            m.kind,
            m.recipient,
            `recheck-${randomUUID()}`,
            iso(at),
            iso(at),
            m.channel,
            m.ts,
          );
        }
        return true;
      })
      .immediate();
  }

  // ---- exactly once -------------------------------------------------------------------------------

  async claim(intent: ClaimIntent): Promise<ClaimOutcome> {
    const subject = subjectOf(intent.key);
    return this.writes.run((): ClaimOutcome => {
      let caseId: number | null = null;
      if (intent.key.type === 'case') {
        const k = intent.key.case;
        const row = this.db
          .prepare('SELECT id FROM nudge_cases WHERE account_id = ? AND user_name = ? AND cycle = ?')
          .get(k.accountId, k.userName, k.cycle) as { id: number } | undefined;
        if (!row) throw new Error(`claim: no case for ${k.userName} in ${k.accountId} (cycle ${k.cycle})`);
        caseId = row.id;
      }
      const existing = this.db.prepare('SELECT * FROM deliveries WHERE subject = ?').get(subject) as
        | DeliveryRow
        | undefined;
      if (!existing) {
        this.db
          .prepare(
            'INSERT INTO deliveries (subject, case_id, step, kind, recipient, claim_id, ' +
              "claimed_at, attempts, state, decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'claimed', ?)",
          )
          .run(
            subject,
            caseId,
            intent.key.type === 'case' ? intent.key.step : null,
            intent.kind,
            intent.recipient,
            intent.claimId,
            iso(intent.at),
            intent.by ?? null,
          );
        return { claimed: true, attempt: 1 };
      }
      if (existing.state === 'failed') {
        this.db
          .prepare(
            'UPDATE deliveries SET claim_id = ?, claimed_at = ?, recipient = ?, decided_by = ?, attempts = ' +
              "attempts + 1, state = 'claimed', error = NULL WHERE subject = ? AND claim_id = ?",
          )
          .run(intent.claimId, iso(intent.at), intent.recipient, intent.by ?? null, subject, existing.claim_id);
        return { claimed: true, attempt: existing.attempts + 1 };
      }
      return { claimed: false, existing: this.withKey(existing) };
    });
  }

  private withKey(row: DeliveryRow): DeliveryRecord {
    const c =
      row.case_id === null
        ? undefined
        : (this.db.prepare('SELECT account_id, user_name, cycle FROM nudge_cases WHERE id = ?').get(row.case_id) as
            | CaseRow
            | undefined);
    return deliveryFromRow({
      ...row,
      account_id: c?.account_id ?? null,
      user_name: c?.user_name ?? null,
      cycle: c?.cycle ?? null,
    });
  }

  async markSent(claimId: string, sent: { at: Date; channel?: string; ts?: string }): Promise<boolean> {
    // 'unconfirmed' too: a slow send that outlived its lease still gets its ts recorded.
    const update = this.db.prepare(
      "UPDATE deliveries SET state = 'sent', sent_at = ?, channel = ?, ts = ?, " +
        "error = NULL WHERE claim_id = ? AND state IN ('claimed', 'unconfirmed')",
    );
    return this.writes.run(
      () => update.run(iso(sent.at), sent.channel ?? null, sent.ts ?? null, claimId).changes === 1,
    );
  }

  async markFailed(claimId: string, error: string, options: { retryable: boolean }): Promise<boolean> {
    const update = this.db.prepare(
      "UPDATE deliveries SET state = CASE WHEN ? AND attempts < ? THEN 'failed' " +
        "ELSE 'abandoned' END, error = ? WHERE claim_id = ? AND state = 'claimed'",
    );
    return this.writes.run(
      () => update.run(options.retryable ? 1 : 0, MAX_DELIVERY_ATTEMPTS, error, claimId).changes === 1,
    );
  }

  async releaseClaim(claimId: string, note: string): Promise<boolean> {
    // Not durable: in WAL mode a crash of the process keeps the commit, and what a power cut could lose is a
    // release, which leaves a stale claim for the recovery (never a second send).
    const update = this.db.prepare(
      "UPDATE deliveries SET state = 'failed', attempts = attempts - 1, error = ? " +
        "WHERE claim_id = ? AND state = 'claimed'",
    );
    return this.writes.run(() => update.run(note, claimId).changes === 1, { durable: false });
  }

  async markUnconfirmed(claimId: string, note: string): Promise<boolean> {
    const r = this.db
      .prepare("UPDATE deliveries SET state = 'unconfirmed', error = ? WHERE claim_id = ? AND state = 'claimed'")
      .run(note, claimId);
    return r.changes === 1;
  }

  async staleClaims(claimedBefore: Date): Promise<DeliveryRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT d.*, c.account_id, c.user_name, c.cycle FROM deliveries d LEFT JOIN nudge_cases c ON c.id = d.case_id
         WHERE d.state = 'claimed' AND d.claimed_at < ? ORDER BY d.claimed_at`,
      )
      .all(iso(claimedBefore)) as Array<
      DeliveryRow & { account_id: string | null; user_name: string | null; cycle: number | null }
    >;
    return rows.map(deliveryFromRow);
  }

  async delivery(key: DeliveryKey): Promise<DeliveryRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM deliveries WHERE subject = ?').get(subjectOf(key)) as
      | DeliveryRow
      | undefined;
    return row ? this.withKey(row) : undefined;
  }

  async claimRequest(key: string, at: Date, expiresAt: Date): Promise<boolean> {
    return this.db
      .transaction(() => {
        // Expired claims go first, so the insert below sees only live ones; the index keeps this cheap.
        this.db.prepare('DELETE FROM request_claims WHERE expires_at <= ?').run(iso(at));
        return (
          this.db
            .prepare('INSERT OR IGNORE INTO request_claims (request_key, claimed_at, expires_at) VALUES (?, ?, ?)')
            .run(key, iso(at), iso(expiresAt)).changes === 1
        );
      })
      .immediate();
  }

  async recordLiveCheck(check: LiveCheckRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO live_checks (account_id, user_name, checked_at, found, partition, verdicts)
         VALUES (@account_id, @user_name, @checked_at, @found, @partition, @verdicts)
         ON CONFLICT (account_id, user_name) DO UPDATE SET
           checked_at = excluded.checked_at, found = excluded.found, partition = excluded.partition, verdicts =
             excluded.verdicts
         WHERE excluded.checked_at >= live_checks.checked_at`,
      )
      .run(liveCheckRow(check));
  }

  async liveCheck(accountId: string, userName: string): Promise<LiveCheckRecord | undefined> {
    const row = this.db
      .prepare('SELECT * FROM live_checks WHERE account_id = ? AND user_name = ?')
      .get(accountId, userName) as LiveCheckRow | undefined;
    return row ? liveCheckFromRow(row) : undefined;
  }

  // ---- exemptions granted in Slack ----------------------------------------------------------------

  async grantExemption(exemption: GrantedExemption): Promise<void> {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO exemptions (account_id, principal, reason, expires, granted_by, granted_at) ' +
          'VALUES (@account_id, @principal, @reason, @expires, @granted_by, @granted_at)',
      )
      .run(exemptionRow(exemption));
  }

  async grantedExemptions(): Promise<GrantedExemption[]> {
    const rows = this.db.prepare('SELECT * FROM exemptions ORDER BY granted_at').all() as ExemptionRow[];
    return rows.map(exemptionFromRow);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
