import { describe, expect, it } from 'vitest';
import {
  buildHelpAcknowledged,
  buildHelpRequest,
  buildHelpUnavailable,
  buildNotYours,
  buildSnoozed,
} from '../../../src/slack/blocks/nudge-replies.js';
import { buildConsoleLoginGone, buildStillMissing } from '../../../src/slack/blocks/recheck-result.js';
import { blocksToText } from '../../../src/slack/blocks/text.js';
import {
  ACCOUNT,
  allText,
  expectHostileEscaped,
  expectWithinSlackLimits,
  failingUser,
  HOSTILE,
  NOW,
} from './factories.js';

const acct = { accountId: ACCOUNT, partition: 'aws' as const, alias: 'prod' };

describe('nudge button replies', () => {
  it('says what is still missing after a failed re-check, with the steps', () => {
    const msg = buildStillMissing({ account: acct, userName: 'ann.smith', verdicts: [failingUser('ann.smith')] }, NOW);
    const text = blocksToText(msg.blocks);
    expect(text).toContain('still has no MFA device');
    expect(text).toContain('Assign MFA device');
    expect(msg.text).toContain('still has no MFA');
    const unknown = blocksToText(
      buildStillMissing({ account: acct, userName: 'ann.smith', verdicts: [], problem: 'Throttling: slow down' }, NOW)
        .blocks,
    );
    expect(unknown).toContain('couldn’t check');
    expect(unknown).toContain('Throttling: slow down');
  });

  it('replaces a nudge whose login is gone, and never for root', () => {
    expect(blocksToText(buildConsoleLoginGone(acct, 'ann.smith', NOW, 'no-console').blocks)).toContain(
      'no console password any more',
    );
    expect(blocksToText(buildConsoleLoginGone(acct, 'ann.smith', NOW, 'missing').blocks)).toContain('no longer exists');
    expect(() => buildConsoleLoginGone(acct, '<root_account>', NOW, 'missing')).toThrow(/root/);
  });

  it('tells the security channel who needs help with which login, escaped', () => {
    const msg = buildHelpRequest({
      requesterId: 'UANN000001',
      account: { ...acct, alias: HOSTILE[0] },
      userName: HOSTILE[3],
      verdict: failingUser(HOSTILE[3]),
      now: NOW,
    });
    const json = allText(msg.blocks);
    expect(json).toContain('<@UANN000001>');
    expect(json).not.toContain('<!channel>');
    expect(blocksToText(msg.blocks)).toContain('Latest scan: fail');
    expectHostileEscaped(json, [HOSTILE[0], HOSTILE[3]]);
    for (const m of [
      msg,
      buildHelpAcknowledged(acct, 'ann.smith'),
      buildHelpUnavailable(),
      buildSnoozed(acct, 'ann.smith', NOW),
      buildNotYours(),
    ])
      expectWithinSlackLimits(m.blocks);
    expect(blocksToText(buildSnoozed(acct, 'ann.smith', new Date('2026-11-24T12:00:00Z')).blocks)).toContain(
      'before 2026-11-24 12:00 UTC',
    );
  });
});
