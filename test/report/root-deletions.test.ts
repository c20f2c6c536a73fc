import { describe, expect, it } from 'vitest';
import { renderRootDeletions } from '../../src/report/root-deletions.js';
import { rootDeletionKey } from '../../src/store/root-deletion-key.js';
import type { DeliveryRecord } from '../../src/store/store.js';

const record = (over: Partial<DeliveryRecord>): DeliveryRecord => ({
  key: rootDeletionKey('210987654321'),
  step: '',
  kind: 'root-credentials-deleted',
  recipient: 'root:210987654321',
  claimId: 'c1',
  claimedAt: new Date('2026-12-02T09:00:00Z'),
  attempts: 1,
  state: 'sent',
  sentAt: new Date('2026-12-02T09:00:05Z'),
  by: 'UAPPROVER01',
  ...over,
});

describe('renderRootDeletions', () => {
  it('says who approved which deletion and when, and which are not settled yet', () => {
    const rows = JSON.parse(
      renderRootDeletions(
        [
          { accountId: '210987654321', record: record({}) },
          { accountId: '310987654321', record: record({ state: 'claimed', sentAt: undefined, by: 'UAPPROVER02' }) },
        ],
        'json',
      ),
    ) as Array<Record<string, unknown>>;
    expect(rows).toEqual([
      expect.objectContaining({
        accountId: '210987654321',
        by: 'UAPPROVER01',
        state: 'deleted',
        at: '2026-12-02T09:00:05.000Z',
      }),
      expect.objectContaining({
        accountId: '310987654321',
        by: 'UAPPROVER02',
        state: expect.stringMatching(/^in progress/),
      }),
    ]);
    expect(renderRootDeletions([], 'table')).toBe('No root credentials deleted by mfa-bot.\n');
  });
});
