import { describe, expect, it } from 'vitest';
import { enforcementsOnDay } from '../../../src/domain/enforcement/steps.js';
import type { LedgerMessage } from '../../../src/domain/ledger.js';
import { ACCOUNT, DAY, MONDAY_10, openCase, sent } from '../nudge-fixtures.js';

const at = (days: number) => new Date(MONDAY_10.getTime() + days * DAY);
const enforced = (when: Date, over: Partial<LedgerMessage> = {}) =>
  sent('enforced', when, { kind: 'enforced', recipient: 'iam:x', ts: undefined, ...over });

describe('enforcementsOnDay: what caps the Enforce button', () => {
  it('counts the enforcements of one account on one UTC day, by runs and presses, recorded or in flight', () => {
    const cases = [
      openCase('ann', { messages: [enforced(at(0), { by: 'auto' })] }),
      openCase('bob', { messages: [enforced(at(0.4), { by: 'UAPPROVER01', state: 'claimed' })] }),
      // Refused by AWS: nobody was limited.
      openCase('cat', { messages: [enforced(at(0.2), { state: 'failed' })] }),
      openCase('dan', { messages: [enforced(at(0.3), { state: 'abandoned' })] }),
      // Yesterday, and another account.
      openCase('eve', { messages: [enforced(at(-0.5))] }),
      { ...openCase('fay', { messages: [enforced(at(0))] }), accountId: '999999999999' },
    ];
    expect(enforcementsOnDay(cases, ACCOUNT, at(0.5))).toBe(2);
    expect(enforcementsOnDay(cases, ACCOUNT, at(-0.5))).toBe(1);
    expect(enforcementsOnDay(cases, '999999999999', at(0))).toBe(1);
  });
});
