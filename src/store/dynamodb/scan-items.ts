import type { IdentityMap } from '../../domain/identity.js';
import type { AccountResult, ScanResult } from '../../domain/types.js';
import { accountRow, identityRow, verdictRow, type IdentityRow, type VerdictRow } from '../records.js';
import { KEYS, toItem, type Item } from './items.js';

/** Verdicts of one account are stored as JSON chunks that stay well under DynamoDB's 400 KB item size. */
export const MAX_CHUNK_BYTES = 300_000;

/** One account's verdicts as rows, one per (principal, check) with the last one winning, in key order. */
export function verdictRows(scanId: number, a: AccountResult): VerdictRow[] {
  const rows = new Map<string, VerdictRow>();
  for (const v of a.verdicts) {
    rows.set(`${v.principal}\u0000${v.check}`, verdictRow(scanId, a.accountId, v));
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

export function identityItem(row: IdentityRow): Item {
  return toItem({ pk: KEYS.identities, sk: KEYS.identitySk(row.account_id, row.user_name), ...row });
}

/** Splits rows into JSON strings of at most MAX_CHUNK_BYTES each. */
export function chunkRows(rows: readonly VerdictRow[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const size = Buffer.byteLength(json) + 1;
    if (current.length > 0 && bytes + size > MAX_CHUNK_BYTES) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      bytes = 2;
    }
    current.push(json);
    bytes += size;
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(`[${current.join(',')}]`);
  return chunks;
}

/**
 * Every item of one scan but its header: each account in the scan's partition and in the account's own
 * (for per-account history), its verdict chunks, and the identities resolved at the scan.
 */
export function scanItems(
  id: number,
  scan: ScanResult,
  header: { scannedAt: string; fingerprint: string },
  identities: IdentityMap,
): Item[] {
  const items: Item[] = [];
  for (const a of scan.accounts) {
    const row = { ...accountRow(id, a), scanned_at: header.scannedAt, fingerprint: header.fingerprint };
    items.push(toItem({ pk: KEYS.scanPartition(id), sk: KEYS.scanAccountSk(a.accountId), ...row }));
    items.push(toItem({ pk: KEYS.accountPartition(a.accountId), sk: KEYS.accountScanSk(id), ...row }));
    chunkRows(verdictRows(id, a)).forEach((json, i) => {
      items.push(toItem({ pk: KEYS.scanPartition(id), sk: KEYS.verdictChunkSk(a.accountId, i), verdicts: json }));
    });
  }
  for (const [key, who] of identities) items.push(identityItem(identityRow(key, who, id)));
  // The same account twice in one scan: the last one wins, as in SQLite (and BatchWriteItem refuses duplicates).
  return [...new Map(items.map((i) => [`${i.pk!.S}\u0000${i.sk!.S}`, i])).values()];
}
