import { randomUUID } from 'node:crypto';
import { DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { GrantedExemption } from '../../domain/exemptions.js';
import type { IdentityMap, SlackIdentity } from '../../domain/identity.js';
import { identityKey } from '../../domain/identity.js';
import type { CaseKey, NudgeCase } from '../../domain/ledger.js';
import { closeAfterLiveCheck, type CaseChange } from '../../domain/nudge-cases.js';
import { scanFingerprint } from '../../domain/scan-fingerprint.js';
import type { AccountScanSummary } from '../../domain/trend.js';
import type { ScanResult, Verdict } from '../../domain/types.js';
import { StateStoreError } from '../errors.js';
import {
  accountFromRow,
  caseFromRow,
  exemptionFromRow,
  exemptionRow,
  type ExemptionRow,
  identityFromRow,
  identityRow,
  iso,
  liveColumn,
  helpRequestFromRow,
  messageFromRow,
  subjectOf,
  summaryFromRow,
  verdictFromRow,
  type CaseRow,
  type DeliveryRow,
  type HelpRequestRow,
  type IdentityRow,
  type ScanAccountRow,
  type VerdictRow,
  snoozeFromRow,
  type SnoozeRow,
} from '../records.js';
import type {
  ClaimIntent,
  ClaimOutcome,
  DeliveryKey,
  DeliveryRecord,
  HelpRequest,
  LiveCheckRecord,
  KnownIdentity,
  RecheckResolution,
  ScanRef,
  SnoozeRecord,
  StateStore,
  StoredScan,
} from '../store.js';
import { fromItem, keyOf, KEYS, toItem, type Item, type Plain } from './items.js';
import { DeliveryClaims, deliveryItem, type DeliveryItem } from './deliveries.js';
import { ExpiringItems } from './expiring.js';
import { TableRequests, type QuerySpec } from './requests.js';
import { liveCheckFromRow, liveCheckRow, type LiveCheckRow } from '../live-check-records.js';
import { identityItem, scanItems } from './scan-items.js';

interface ScanHeader {
  id: number;
  scanned_at: string;
  fingerprint: string;
}
type AccountItem = ScanAccountRow & { scanned_at: string; fingerprint: string };
type CaseItem = CaseRow & { sk: string };

export interface DynamoStoreOptions {
  table: string;
  client?: DynamoDBClient;
  /** Writes throw: what `history` and other read-only commands open. */
  readOnly?: boolean;
  /** Items per Query page; DynamoDB's 1 MB page limit applies anyway. */
  pageSize?: number;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The StateStore in one DynamoDB table (see table.ts and items.ts for the layout). Every "only one wins"
 * rule is a conditional write, so two Lambda invocations racing on the table agree on a single winner.
 * saveScan is not atomic (a scan is many items): a scan is visible once its header item is written, after
 * its verdicts; the per-account copies that follow only feed history and userVerdicts.
 */
export class DynamoStateStore implements StateStore {
  readonly location: string;
  private readonly db: TableRequests;
  private readonly deliveries: DeliveryClaims;
  private readonly expiring: ExpiringItems;

  constructor(private readonly options: DynamoStoreOptions) {
    this.db = new TableRequests(options.client ?? new DynamoDBClient({}), options.table, options.pageSize);
    this.deliveries = new DeliveryClaims(this.db);
    this.expiring = new ExpiringItems(this.db);
    this.location = `DynamoDB table ${options.table}${options.readOnly ? ' (read-only)' : ''}`;
  }

  private get table() {
    return this.options.table;
  }

  private writable(): void {
    if (this.options.readOnly)
      throw new StateStoreError(this.location, 'opened read-only for a preview, which must not change the state');
  }

  private async query<T>(spec: QuerySpec): Promise<T[]> {
    return (await this.db.query(spec)).map((i) => fromItem<T>(i));
  }

  // ---- scans ------------------------------------------------------------------------------------

  async saveScan(scan: ScanResult, identities: IdentityMap): Promise<ScanRef> {
    this.writable();
    const fingerprint = scanFingerprint(scan);
    const id = await this.db.next(KEYS.counter('scan'));
    const scannedAt = iso(scan.generatedAt);
    const items = scanItems(id, scan, { scannedAt, fingerprint }, identities);
    const perAccount = items.filter((i) => i.pk!.S!.startsWith('ACCOUNT#'));
    await this.db.putAll(items.filter((i) => !perAccount.includes(i)));
    await this.db.put(toItem({ ...KEYS.scanHeader(id), id, scanned_at: scannedAt, fingerprint }));
    // After the header: a scan that crashed half-way never shows in an account's history.
    await this.db.putAll(perAccount);
    return { id, scannedAt: scan.generatedAt, fingerprint };
  }

  private async loadScan(header: ScanHeader | undefined): Promise<StoredScan | undefined> {
    if (!header) return undefined;
    const items = await this.query<Record<string, Plain>>({ pk: KEYS.scanPartition(header.id) });
    const accounts: ScanAccountRow[] = [];
    const byAccount = new Map<string, Verdict[]>();
    for (const item of items) {
      if (String(item.sk).startsWith('ACCOUNT#')) accounts.push(item as unknown as ScanAccountRow);
      else {
        const rows = JSON.parse(String(item.verdicts)) as VerdictRow[];
        for (const r of rows) byAccount.set(r.account_id, [...(byAccount.get(r.account_id) ?? []), verdictFromRow(r)]);
      }
    }
    const scannedAt = new Date(header.scanned_at);
    return {
      id: header.id,
      scannedAt,
      fingerprint: header.fingerprint,
      scan: {
        generatedAt: scannedAt,
        accounts: accounts.map((a) => accountFromRow(a, byAccount.get(a.account_id) ?? [])),
      },
    };
  }

  async latestScan(): Promise<StoredScan | undefined> {
    const [header] = await this.query<ScanHeader>({ pk: KEYS.scans, descending: true, limit: 1 });
    return this.loadScan(header);
  }

  async scanBefore(scanId: number): Promise<StoredScan | undefined> {
    const [header] = await this.query<ScanHeader>({
      pk: KEYS.scans,
      below: KEYS.scanHeader(scanId).sk,
      descending: true,
      limit: 1,
    });
    return this.loadScan(header);
  }

  async scanSummaries(options: { accountId?: string; lastScans?: number } = {}): Promise<AccountScanSummary[]> {
    // As in SQLite (LIMIT 0 or less): no positive limit means every scan.
    const limit = options.lastScans !== undefined && options.lastScans > 0 ? options.lastScans : undefined;
    if (options.accountId !== undefined) {
      const rows = await this.query<AccountItem>({
        pk: KEYS.accountPartition(options.accountId),
        descending: true,
        limit,
      });
      return rows.reverse().map(summaryFromRow);
    }
    const perScan: AccountItem[][] = [];
    const headers = await this.query<ScanHeader>({ pk: KEYS.scans, descending: true });
    for (const h of headers) {
      if (limit !== undefined && perScan.length >= limit) break;
      const rows = await this.query<AccountItem>({ pk: KEYS.scanPartition(h.id), prefix: 'ACCOUNT#' });
      if (rows.length > 0) perScan.push(rows);
    }
    return perScan.reverse().flat().map(summaryFromRow);
  }

  async pruneScans(keep: number): Promise<number> {
    this.writable();
    const headers = await this.query<ScanHeader & { pruned?: boolean }>({ pk: KEYS.scans, descending: true });
    let pruned = 0;
    for (const h of headers.slice(Math.max(1, keep)).filter((x) => !x.pruned)) {
      const chunks = await this.query<{ pk: string; sk: string }>({
        pk: KEYS.scanPartition(h.id),
        prefix: 'VERDICTS#',
      });
      await this.db.deleteAll(chunks.map((c) => ({ pk: c.pk, sk: c.sk })));
      await this.db.put(
        toItem({
          ...KEYS.scanHeader(h.id),
          id: h.id,
          scanned_at: h.scanned_at,
          fingerprint: h.fingerprint,
          pruned: true,
        }),
      );
      pruned += 1;
    }
    return pruned;
  }

  async userVerdicts(accountId: string, userName: string): Promise<{ scan: ScanRef; verdicts: Verdict[] } | undefined> {
    const [latest] = await this.query<AccountItem>({
      pk: KEYS.accountPartition(accountId),
      descending: true,
      limit: 1,
    });
    if (!latest) return undefined;
    const chunks = await this.query<{ verdicts: string }>({
      pk: KEYS.scanPartition(latest.scan_id),
      prefix: `VERDICTS#${accountId}#`,
    });
    const rows = chunks.flatMap((c) => JSON.parse(c.verdicts) as VerdictRow[]).filter((r) => r.principal === userName);
    return {
      scan: { id: latest.scan_id, scannedAt: new Date(latest.scanned_at), fingerprint: latest.fingerprint },
      verdicts: rows.map(verdictFromRow),
    };
  }

  // ---- identities -------------------------------------------------------------------------------

  private async identityRows(): Promise<IdentityRow[]> {
    return this.query<IdentityRow>({ pk: KEYS.identities });
  }

  private static known(r: IdentityRow): KnownIdentity {
    return { accountId: r.account_id, userName: r.user_name, identity: identityFromRow(r), scanId: r.scan_id };
  }

  async rememberIdentity(accountId: string, userName: string, identity: SlackIdentity): Promise<void> {
    this.writable();
    const [latest] = await this.query<ScanHeader>({ pk: KEYS.scans, descending: true, limit: 1 });
    await this.db.put(identityItem(identityRow(identityKey(accountId, userName), identity, latest?.id ?? 0)));
  }

  async identitiesAt(scanId: number): Promise<IdentityMap> {
    const rows = (await this.identityRows()).filter((r) => r.scan_id === scanId);
    return new Map<string, SlackIdentity>(
      rows.map((r) => [identityKey(r.account_id, r.user_name), identityFromRow(r)]),
    );
  }

  async knownIdentities(): Promise<IdentityMap> {
    return new Map<string, SlackIdentity>(
      (await this.identityRows()).map((r) => [identityKey(r.account_id, r.user_name), identityFromRow(r)]),
    );
  }

  async identityOf(accountId: string, userName: string): Promise<KnownIdentity | undefined> {
    const r = await this.db.get<IdentityRow>(KEYS.identities, KEYS.identitySk(accountId, userName));
    return r ? DynamoStateStore.known(r) : undefined;
  }

  async identitiesOf(slackUserId: string): Promise<KnownIdentity[]> {
    return (await this.identityRows()).filter((r) => r.slack_user_id === slackUserId).map(DynamoStateStore.known);
  }

  async timeZones(): Promise<Map<string, string>> {
    const rows = (await this.identityRows()).filter((r) => r.tz !== null).sort((a, b) => a.scan_id - b.scan_id);
    return new Map(rows.map((r) => [r.slack_user_id, r.tz!]));
  }

  async forgetIdentity(accountId: string, userName: string): Promise<void> {
    this.writable();
    await this.db.deleteAll([{ pk: KEYS.identities, sk: KEYS.identitySk(accountId, userName) }]);
  }

  // ---- what Slack did not know ------------------------------------------------------------------

  async emailMisses(now: Date): Promise<Set<string>> {
    return this.expiring.emailMisses(now);
  }

  async rememberEmailMisses(emails: readonly string[], until: Date): Promise<void> {
    this.writable();
    await this.expiring.rememberEmailMisses(emails, until);
  }

  // ---- the nudge ledger ---------------------------------------------------------------------------

  async cases(filter: { accountId?: string; userName?: string; latestOnly?: boolean } = {}): Promise<NudgeCase[]> {
    const items = await this.query<(CaseItem | DeliveryItem) & { type: string }>({
      pk: KEYS.ledger,
      prefix: KEYS.casePrefix(filter.accountId, filter.accountId === undefined ? undefined : filter.userName),
    });
    const wanted = items.filter((i) => filter.userName === undefined || i.user_name === filter.userName);
    let cases = wanted.filter((i): i is CaseItem & { type: string } => i.type === 'case');
    if (filter.latestOnly) {
      const latest = new Map<string, CaseItem>();
      for (const c of cases) {
        const key = identityKey(c.account_id, c.user_name);
        if ((latest.get(key)?.id ?? -1) < c.id) latest.set(key, c);
      }
      cases = [...latest.values()] as typeof cases;
    }
    const messages = new Map<string, DeliveryItem[]>();
    for (const d of wanted.filter((i): i is DeliveryItem & { type: string } => i.type === 'delivery')) {
      const caseSk = KEYS.caseSk({ accountId: d.account_id!, userName: d.user_name!, cycle: d.cycle! });
      messages.set(caseSk, [...(messages.get(caseSk) ?? []), d]);
    }
    // SQLite orders messages by claim time then insertion; the sort key stands in for insertion here.
    const inOrder = (list: DeliveryItem[]) =>
      list.sort((a, b) => byString(a.claimed_at, b.claimed_at) || byString(a.sk, b.sk));
    return cases
      .sort((a, b) => a.id - b.id)
      .map((c) => caseFromRow(c, inOrder(messages.get(c.sk) ?? []).map(messageFromRow)));
  }

  async applyCaseChanges(changes: readonly CaseChange[]): Promise<void> {
    if (changes.length === 0) return;
    this.writable();
    // Case IDs in the order of the changes (as SQLite's AUTOINCREMENT gives them), reserved in one call.
    const opens = changes.filter((c) => c.type === 'open').length;
    let nextId = opens === 0 ? 0 : (await this.db.next(KEYS.counter('case'), opens)) - opens + 1;
    const byUser = new Map<string, Array<() => Promise<unknown>>>();
    for (const c of changes) {
      const user =
        c.type === 'open' ? identityKey(c.accountId, c.userName) : identityKey(c.key.accountId, c.key.userName);
      const id = c.type === 'open' ? nextId++ : 0;
      byUser.set(user, [
        ...(byUser.get(user) ?? []),
        () => (c.type === 'open' ? this.openCase(c, id) : this.resolveCase(c.key, c.at, c.resolution)),
      ]);
    }
    // One user's changes in order; different users side by side (a first scan can open thousands).
    const queue = [...byUser.values()];
    const worker = async () => {
      for (let steps = queue.shift(); steps; steps = queue.shift()) for (const step of steps) await step();
    };
    await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
  }

  /** The open-case lock and the case row together, each only if absent: a racing opener already won. */
  private async openCase(c: Extract<CaseChange, { type: 'open' }>, id: number): Promise<void> {
    const key: CaseKey = { accountId: c.accountId, userName: c.userName, cycle: c.cycle };
    const row: CaseRow = {
      id,
      account_id: c.accountId,
      user_name: c.userName,
      cycle: c.cycle,
      opened_at: iso(c.at),
      opened_status: c.status,
      snoozed_until: null,
      resolved_at: null,
      resolution: null,
      live: liveColumn(c.live),
    };
    await this.db.transact([
      this.putIfAbsent(
        toItem({ pk: KEYS.ledger, sk: KEYS.openSk(c.accountId, c.userName), type: 'open', cycle: c.cycle }),
      ),
      this.putIfAbsent(toItem({ pk: KEYS.ledger, sk: KEYS.caseSk(key), type: 'case', ...row })),
    ]);
  }

  private putIfAbsent(item: Item): TransactWriteItem {
    return { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /** Resolves the case and releases its lock, only while it is open; false when it was not. */
  private async resolveCase(
    key: CaseKey,
    at: Date,
    resolution: string,
    extra: TransactWriteItem[] = [],
  ): Promise<boolean> {
    return this.db.transact([
      {
        Update: {
          TableName: this.table,
          Key: keyOf(KEYS.ledger, KEYS.caseSk(key)),
          UpdateExpression: 'SET #resolved_at = :at, #resolution = :resolution',
          ConditionExpression: 'attribute_exists(pk) AND attribute_type(#resolved_at, :null)',
          ExpressionAttributeNames: { '#resolved_at': 'resolved_at', '#resolution': 'resolution' },
          ExpressionAttributeValues: {
            ':at': { S: iso(at) },
            ':resolution': { S: resolution },
            ':null': { S: 'NULL' },
          },
        },
      },
      {
        Delete: {
          TableName: this.table,
          Key: keyOf(KEYS.ledger, KEYS.openSk(key.accountId, key.userName)),
          ConditionExpression: '#cycle = :cycle',
          ExpressionAttributeNames: { '#cycle': 'cycle' },
          ExpressionAttributeValues: { ':cycle': { N: String(key.cycle) } },
        },
      },
      ...extra,
    ]);
  }

  private async openCycle(accountId: string, userName: string): Promise<number | undefined> {
    return (await this.db.get<{ cycle: number }>(KEYS.ledger, KEYS.openSk(accountId, userName)))?.cycle;
  }

  async snooze(
    accountId: string,
    userName: string,
    until: Date,
    options: { at?: Date; by?: string } = {},
  ): Promise<boolean> {
    this.writable();
    const at = options.at ?? new Date();
    // Retried when the case found open was resolved (and maybe reopened) between the read and the write.
    for (let round = 0; round < 5; round++) {
      const cycle = await this.openCycle(accountId, userName);
      if (cycle === undefined) return false;
      const snoozed = await this.db.transact([
        {
          Update: {
            TableName: this.table,
            Key: keyOf(KEYS.ledger, KEYS.caseSk({ accountId, userName, cycle })),
            UpdateExpression: 'SET #snoozed_until = :until',
            ConditionExpression: 'attribute_exists(pk) AND attribute_type(#resolved_at, :null)',
            ExpressionAttributeNames: { '#snoozed_until': 'snoozed_until', '#resolved_at': 'resolved_at' },
            ExpressionAttributeValues: { ':until': { S: iso(until) }, ':null': { S: 'NULL' } },
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: toItem({
              pk: KEYS.ledger,
              sk: `${KEYS.snoozePrefix(accountId, userName)}${iso(at)}#${Date.now()}-${randomUUID()}`,
              type: 'snooze',
              account_id: accountId,
              user_name: userName,
              cycle,
              at: iso(at),
              until: iso(until),
              by: options.by ?? null,
            }),
          },
        },
      ]);
      if (snoozed) return true;
    }
    return false;
  }

  private async userLog<T extends { sk: string; at: string; account_id: string; user_name: string }>(
    prefix: (a?: string, u?: string) => string,
    filter: { accountId?: string; userName?: string },
  ): Promise<T[]> {
    // The sort key starts with account/user: one user's log is a prefix; anything wider reads every user's.
    const oneUser = filter.accountId !== undefined && filter.userName !== undefined;
    const items = await this.query<T>({
      pk: KEYS.ledger,
      prefix: oneUser ? prefix(filter.accountId, filter.userName) : prefix(),
    });
    return items
      .filter(
        (i) =>
          (filter.userName === undefined || i.user_name === filter.userName) &&
          (filter.accountId === undefined || i.account_id === filter.accountId),
      )
      .sort((a, b) => byString(a.at, b.at) || byString(a.sk, b.sk));
  }

  async snoozes(filter: { accountId?: string; userName?: string } = {}): Promise<SnoozeRecord[]> {
    const rows = await this.userLog<SnoozeRow & { sk: string }>(KEYS.snoozePrefix, filter);
    return rows.map(snoozeFromRow);
  }

  async recordHelpRequest(request: HelpRequest): Promise<boolean> {
    this.writable();
    const at = iso(request.at);
    const item = toItem({
      pk: KEYS.ledger,
      sk: `${KEYS.helpPrefix(request.accountId, request.userName)}${at}#${Date.now()}-${randomUUID()}`,
      type: 'help',
      account_id: request.accountId,
      user_name: request.userName,
      slack_user_id: request.slackUserId,
      at,
      channel: request.channel ?? null,
      ts: request.ts ?? null,
      request_id: request.requestId ?? null,
    });
    if (request.requestId === undefined) {
      await this.db.put(item);
      return true;
    }
    const marker = KEYS.helpRequestId(request.requestId);
    return this.db.transact([
      this.putIfAbsent(toItem({ ...marker, type: 'help-request-id' })),
      { Put: { TableName: this.table, Item: item } },
    ]);
  }

  async helpRequests(filter: { accountId?: string; userName?: string } = {}): Promise<HelpRequest[]> {
    const rows = await this.userLog<HelpRequestRow & { sk: string }>(KEYS.helpPrefix, filter);
    return rows.map(helpRequestFromRow);
  }

  async resolveByRecheck(
    accountId: string,
    userName: string,
    at: Date,
    options: RecheckResolution = {},
  ): Promise<boolean> {
    this.writable();
    for (let round = 0; round < 5; round++) {
      const cycle = await this.openCycle(accountId, userName);
      if (cycle === undefined) return false;
      const { resolve, sent } = closeAfterLiveCheck({ accountId, userName, cycle }, at, options);
      const key = resolve.key;
      const thanks: TransactWriteItem[] = [];
      if (sent.length) {
        const caseRow = await this.db.get<CaseRow>(KEYS.ledger, KEYS.caseSk(key));
        const existing = await this.query<{ sk: string }>({ pk: KEYS.ledger, prefix: `${KEYS.caseSk(key)}#MSG#` });
        for (const m of sent) {
          const deliveryKey: DeliveryKey = { type: 'case', case: key, step: m.step };
          const sk = KEYS.deliverySk(deliveryKey);
          // Like INSERT OR IGNORE: a step already claimed keeps its record.
          if (existing.some((e) => e.sk === sk)) continue;
          const row: DeliveryRow = {
            subject: subjectOf(deliveryKey),
            case_id: caseRow?.id ?? null,
            step: m.step,
            kind: m.kind,
            recipient: m.recipient,
            claim_id: `recheck-${randomUUID()}`,
            claimed_at: iso(resolve.at),
            attempts: 1,
            state: 'sent',
            sent_at: iso(resolve.at),
            channel: m.channel,
            ts: m.ts,
            error: null,
          };
          thanks.push(this.putIfAbsent(deliveryItem(sk, row, key)));
        }
      }
      if (await this.resolveCase(key, resolve.at, resolve.resolution, thanks)) return true;
    }
    return false;
  }

  // ---- exactly once -------------------------------------------------------------------------------

  async claim(intent: ClaimIntent): Promise<ClaimOutcome> {
    this.writable();
    return this.deliveries.claim(intent);
  }

  async markSent(claimId: string, sent: { at: Date; channel?: string; ts?: string }): Promise<boolean> {
    this.writable();
    return this.deliveries.markSent(claimId, sent);
  }

  async markFailed(claimId: string, error: string, options: { retryable: boolean }): Promise<boolean> {
    this.writable();
    return this.deliveries.markFailed(claimId, error, options);
  }

  async releaseClaim(claimId: string, note: string): Promise<boolean> {
    this.writable();
    return this.deliveries.releaseClaim(claimId, note);
  }

  async markUnconfirmed(claimId: string, note: string): Promise<boolean> {
    this.writable();
    return this.deliveries.markUnconfirmed(claimId, note);
  }

  async staleClaims(claimedBefore: Date): Promise<DeliveryRecord[]> {
    return this.deliveries.staleClaims(claimedBefore);
  }

  async delivery(key: DeliveryKey): Promise<DeliveryRecord | undefined> {
    return this.deliveries.delivery(key);
  }

  async claimRequest(key: string, at: Date, expiresAt: Date): Promise<boolean> {
    this.writable();
    return this.expiring.claimRequest(key, at, expiresAt);
  }

  async recordLiveCheck(check: LiveCheckRecord): Promise<void> {
    this.writable();
    const row = liveCheckRow(check);
    // ISO times of one format compare as strings: an older check never replaces a newer one.
    await this.db.conditional(() =>
      this.db.put(
        toItem({ ...KEYS.liveCheck(check.accountId, check.userName), type: 'live-check', ...row }),
        'attribute_not_exists(pk) OR checked_at <= :checked_at',
        { ':checked_at': { S: row.checked_at } },
      ),
    );
  }

  async liveCheck(accountId: string, userName: string): Promise<LiveCheckRecord | undefined> {
    const key = KEYS.liveCheck(accountId, userName);
    const row = await this.db.get<LiveCheckRow>(key.pk, key.sk);
    return row ? liveCheckFromRow(row) : undefined;
  }

  async grantExemption(exemption: GrantedExemption): Promise<void> {
    this.writable();
    const row = exemptionRow(exemption);
    const sk = KEYS.exemptionSk(row.account_id, row.principal, row.granted_at);
    await this.db.put(toItem({ pk: KEYS.exemptions, sk, type: 'exemption', ...row }));
  }

  async grantedExemptions(): Promise<GrantedExemption[]> {
    const rows = await this.query<ExemptionRow>({ pk: KEYS.exemptions });
    return rows.map(exemptionFromRow).sort((a, b) => a.grantedAt.getTime() - b.grantedAt.getTime());
  }

  async close(): Promise<void> {
    if (!this.options.client) this.db.client.destroy();
  }
}
