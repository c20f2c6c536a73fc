import { describe, expect, it } from 'vitest';
import { buildEscalation } from '../../../src/slack/blocks/escalation.js';
import { buildResolvedNudgeUpdate } from '../../../src/slack/blocks/resolved-nudge.js';
import { blocksToText } from '../../../src/slack/blocks/text.js';
import { buildThankYou } from '../../../src/slack/blocks/thank-you.js';
import {
  ACCOUNT,
  allText,
  expectHostileEscaped,
  expectWithinSlackLimits,
  failingUser,
  graceUser,
  HOSTILE,
  NOW,
} from './factories.js';

const prod = { accountId: ACCOUNT, alias: 'prod', partition: 'aws' as const };

describe('buildThankYou', () => {
  it('thanks the person for the login that now has MFA', () => {
    const m = buildThankYou({ account: prod, userName: 'alice', slackUserId: 'U0ALICE01', now: NOW });
    expect(allText(m.blocks)).toContain(
      'Thank you, <@U0ALICE01>! MFA is now on for `alice` in account `111122223333` (prod)',
    );
    expect(m.text).toContain('alice');
    expectWithinSlackLimits(m.blocks);
  });

  it('refuses the root user', () => {
    expect(() =>
      buildThankYou({ account: prod, userName: '<root_account>', slackUserId: 'U0ALICE01', now: NOW }),
    ).toThrow(/root/);
  });
});

describe('buildResolvedNudgeUpdate', () => {
  it('replaces the nudge with a short done note and no buttons', () => {
    const m = buildResolvedNudgeUpdate({ account: prod, userName: 'alice', now: NOW });
    expect(m.text).toBe('Done: MFA is on for alice in account 111122223333 (prod).');
    expect(blocksToText(m.blocks)).toContain('*Done:* MFA is on for `alice` in account `111122223333` (prod).');
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    expectWithinSlackLimits(m.blocks);
  });
});

describe('buildEscalation', () => {
  const base = { account: prod, nudgesSent: 3, firstNudgedAt: new Date('2026-11-09T12:00:00Z'), now: NOW };

  it('says who, where, how many nudges and since when', () => {
    const m = buildEscalation({ ...base, verdict: failingUser('alice'), slackUserId: 'U0ALICE01' });
    const text = blocksToText(m.blocks);
    expect(text).toContain('Still no MFA after 3 nudges');
    expect(text).toContain(
      '@U0ALICE01 `alice` in account `111122223333` (prod) was first nudged on 2026-11-09 (14 days ago)',
    );
    expect(m.text).toContain('after 3 nudges');
    expectWithinSlackLimits(m.blocks);
  });

  it('marks an unmapped user and names a grace deadline', () => {
    const m = buildEscalation({ ...base, verdict: graceUser('newbie', new Date('2026-11-25T00:00:00Z')) });
    const text = blocksToText(m.blocks);
    expect(text).toContain('`newbie` _unmapped_');
    expect(text).toContain('MFA is due 2026-11-25');
  });
});

describe('small builders escape hostile names', () => {
  it.each(HOSTILE)('%s', (name) => {
    const messages = [
      buildThankYou({ account: prod, userName: name, slackUserId: 'U0ALICE01', now: NOW }),
      buildResolvedNudgeUpdate({ account: prod, userName: name, now: NOW }),
      buildEscalation({ account: prod, verdict: failingUser(name), nudgesSent: 2, firstNudgedAt: NOW, now: NOW }),
    ];
    for (const m of messages) {
      expectHostileEscaped(allText(m.blocks), [name]);
      expectHostileEscaped(JSON.stringify(m.text), [name]);
    }
  });
});
