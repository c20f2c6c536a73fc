import type { CaseKey } from '../../domain/ledger.js';
import { deliveryFromRow, iso, subjectOf, type DeliveryRow } from '../records.js';
import {
  MAX_DELIVERY_ATTEMPTS,
  type ClaimIntent,
  type ClaimOutcome,
  type DeliveryKey,
  type DeliveryRecord,
} from '../store.js';
import { fromItem, KEYS, toItem, type Item } from './items.js';
import type { TableRequests } from './requests.js';

/** A delivery with the case it belongs to (null for digests), as deliveryFromRow wants it. */
export type DeliveryItem = DeliveryRow & {
  sk: string;
  account_id: string | null;
  user_name: string | null;
  cycle: number | null;
  digest_channel?: string;
  digest_fingerprint?: string;
};
interface CaseIdItem {
  id: number;
}

export function deliveryItem(sk: string, row: DeliveryRow, key: CaseKey | undefined): Item {
  return toItem({
    pk: KEYS.ledger,
    sk,
    type: 'delivery',
    ...row,
    account_id: key?.accountId ?? null,
    user_name: key?.userName ?? null,
    cycle: key?.cycle ?? null,
  });
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Claims and their outcomes: the exactly-once half of the ledger. */
export class DeliveryClaims {
  constructor(private readonly db: TableRequests) {}

  async claim(intent: ClaimIntent): Promise<ClaimOutcome> {
    let caseId: number | null = null;
    const caseKey = intent.key.type === 'case' ? intent.key.case : undefined;
    if (caseKey) {
      const row = await this.db.get<CaseIdItem>(KEYS.ledger, KEYS.caseSk(caseKey));
      if (!row)
        throw new Error(`claim: no case for ${caseKey.userName} in ${caseKey.accountId} (cycle ${caseKey.cycle})`);
      caseId = row.id;
    }
    const sk = KEYS.deliverySk(intent.key);
    // The pointer from claim ID to delivery goes first; a pointer of a claim that lost leads to a
    // delivery with another claim ID, which every mark* condition rejects.
    await this.db.put(toItem({ ...KEYS.claim(intent.claimId), target: sk }));
    const row: DeliveryRow = {
      subject: subjectOf(intent.key),
      case_id: caseId,
      step: intent.key.type === 'case' ? intent.key.step : null,
      kind: intent.kind,
      recipient: intent.recipient,
      claim_id: intent.claimId,
      claimed_at: iso(intent.at),
      attempts: 1,
      state: 'claimed',
      sent_at: null,
      channel: null,
      ts: null,
      error: null,
      decided_by: intent.by ?? null,
    };
    const item = deliveryItem(sk, row, caseKey);
    if (intent.key.type === 'digest')
      Object.assign(item, toItem({ digest_channel: intent.key.channel, digest_fingerprint: intent.key.fingerprint }));
    for (;;) {
      const created = await this.db.conditional(() => this.db.put(item, 'attribute_not_exists(pk)'));
      if (created) return { claimed: true, attempt: 1 };
      const existing = (await this.db.get<DeliveryItem>(KEYS.ledger, sk))!;
      // The SDK resent our own put after a lost response, and the resend's condition saw the first one.
      if (existing.claim_id === intent.claimId && existing.state === 'claimed')
        return { claimed: true, attempt: existing.attempts };
      if (existing.state !== 'failed') return { claimed: false, existing: this.record(existing) };
      const retaken = await this.db.updateIf(
        KEYS.ledger,
        sk,
        {
          claim_id: intent.claimId,
          claimed_at: iso(intent.at),
          recipient: intent.recipient,
          decided_by: intent.by ?? null,
          attempts: existing.attempts + 1,
          state: 'claimed',
          error: null,
        },
        { claim_id: existing.claim_id, state: 'failed' },
      );
      if (retaken) return { claimed: true, attempt: existing.attempts + 1 };
      // Someone else retook it first: look again.
    }
  }

  private record(item: DeliveryItem): DeliveryRecord {
    const record = deliveryFromRow(item);
    if (item.digest_channel !== undefined)
      return {
        ...record,
        key: { type: 'digest', channel: item.digest_channel, fingerprint: item.digest_fingerprint ?? '' },
      };
    return record;
  }

  private async claimed(claimId: string): Promise<DeliveryItem | undefined> {
    const pointer = await this.db.get<{ target: string }>(KEYS.claim(claimId).pk, KEYS.claim(claimId).sk);
    if (!pointer) return undefined;
    const item = await this.db.get<DeliveryItem>(KEYS.ledger, pointer.target);
    return item?.claim_id === claimId ? item : undefined;
  }

  async markSent(claimId: string, sent: { at: Date; channel?: string; ts?: string }): Promise<boolean> {
    const item = await this.claimed(claimId);
    if (!item) return false;
    // 'unconfirmed' too: a slow send that outlived its lease still gets its ts recorded.
    return this.db.updateIf(
      KEYS.ledger,
      item.sk,
      { state: 'sent', sent_at: iso(sent.at), channel: sent.channel ?? null, ts: sent.ts ?? null, error: null },
      { claim_id: claimId, state: ['claimed', 'unconfirmed'] },
    );
  }

  async markFailed(claimId: string, error: string, options: { retryable: boolean }): Promise<boolean> {
    const item = await this.claimed(claimId);
    if (!item) return false;
    const state = options.retryable && item.attempts < MAX_DELIVERY_ATTEMPTS ? 'failed' : 'abandoned';
    return this.db.updateIf(
      KEYS.ledger,
      item.sk,
      { state, error },
      { claim_id: claimId, state: 'claimed', attempts: item.attempts },
    );
  }

  async releaseClaim(claimId: string, note: string): Promise<boolean> {
    const item = await this.claimed(claimId);
    if (!item) return false;
    return this.db.updateIf(
      KEYS.ledger,
      item.sk,
      { state: 'failed', attempts: item.attempts - 1, error: note },
      { claim_id: claimId, state: 'claimed', attempts: item.attempts },
    );
  }

  async markUnconfirmed(claimId: string, note: string): Promise<boolean> {
    const item = await this.claimed(claimId);
    if (!item) return false;
    return this.db.updateIf(
      KEYS.ledger,
      item.sk,
      { state: 'unconfirmed', error: note },
      { claim_id: claimId, state: 'claimed' },
    );
  }

  async staleClaims(claimedBefore: Date): Promise<DeliveryRecord[]> {
    const before = iso(claimedBefore);
    const items = await (await this.db.query({ pk: KEYS.ledger })).map((i) =>
      fromItem<DeliveryItem & { type: string }>(i),
    );
    return items
      .filter((i) => i.type === 'delivery' && i.state === 'claimed' && i.claimed_at < before)
      .sort((a, b) => byString(a.claimed_at, b.claimed_at))
      .map((i) => this.record(i));
  }

  async delivery(key: DeliveryKey): Promise<DeliveryRecord | undefined> {
    const item = await this.db.get<DeliveryItem>(KEYS.ledger, KEYS.deliverySk(key));
    return item ? this.record(item) : undefined;
  }
}
