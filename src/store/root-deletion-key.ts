import type { DeliveryKey } from './store.js';

const PREFIX = 'root-delete:';

/**
 * The ledger key of a member root's credential deletion: like the digest chart's, it shares the digests' key space
 * (no new record type in either store); the prefix keeps it apart from scan fingerprints (hex) and charts. One key
 * per account, so two approvers pressing at once race on the same conditional write.
 */
export function rootDeletionKey(accountId: string): Extract<DeliveryKey, { type: 'digest' }> {
  return { type: 'digest', channel: `root:${accountId}`, fingerprint: `${PREFIX}${accountId}` };
}

export function isRootDeletionKey(key: DeliveryKey): boolean {
  return key.type === 'digest' && key.fingerprint.startsWith(PREFIX);
}
