import type { DeliveryKey, DeliveryRecord, StateStore } from './store.js';

const PREFIX = 'root-delete:';

/**
 * The ledger key of a member root's credential deletion: like the digest chart's, it shares the digests' key space
 * (no new record type in either store); the prefix keeps it apart from scan fingerprints (hex) and charts. One key
 * per account and generation, so two approvers pressing at once race on the same conditional write. A generation
 * is one deletion: the next one starts only when the root has credentials again after a recorded deletion. The
 * first generation's key has no number (the key of every deletion recorded before generations existed).
 */
export function rootDeletionKey(accountId: string, generation = 1): Extract<DeliveryKey, { type: 'digest' }> {
  const suffix = generation > 1 ? `:${generation}` : '';
  return { type: 'digest', channel: `root:${accountId}`, fingerprint: `${PREFIX}${accountId}${suffix}` };
}

export function isRootDeletionKey(key: DeliveryKey): boolean {
  return key.type === 'digest' && key.fingerprint.startsWith(PREFIX);
}

/** Every recorded deletion of the account's root credentials, oldest first, with its generation (from 1). */
export async function rootDeletionRecords(
  store: Pick<StateStore, 'delivery'>,
  accountId: string,
): Promise<Array<{ generation: number; record: DeliveryRecord }>> {
  const found: Array<{ generation: number; record: DeliveryRecord }> = [];
  // Generation n+1 is only ever claimed after generation n exists: the first gap ends the list.
  for (let generation = 1; ; generation++) {
    const record = await store.delivery(rootDeletionKey(accountId, generation));
    if (!record) return found;
    found.push({ generation, record });
  }
}
