import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS, recoverStaleClaims } from '../../src/jobs/recover-claims.js';
import { rootDeletionKey } from '../../src/store/root-deletion-key.js';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';

describe('recoverStaleClaims', () => {
  it('leaves a stale root deletion claim to the next press: never counted as done without reading AWS', async () => {
    const store = SqliteStateStore.open(join(mkdtempSync(join(tmpdir(), 'mfa-recover-')), 'state.db'));
    try {
      const key = rootDeletionKey('210987654321');
      const at = new Date('2026-12-02T09:00:00Z');
      const intent = { key, kind: 'root-credentials-deleted' as const, recipient: key.channel, at };
      await store.claim({ ...intent, claimId: 'crashed', by: 'UAPPROVER01' });
      const later = new Date(at.getTime() + CLAIM_LEASE_MS * 2);
      expect(await recoverStaleClaims(store, undefined, later)).toEqual([]);
      expect(await store.delivery(key)).toMatchObject({ state: 'claimed', by: 'UAPPROVER01' });
    } finally {
      await store.close();
    }
  });
});
