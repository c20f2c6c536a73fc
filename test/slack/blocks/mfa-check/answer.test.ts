import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../src/domain/dates.js';
import { buildUserStatusAnswer } from '../../../../src/slack/blocks/mfa-check/answer.js';
import {
  buildInternalError,
  buildNoScanYet,
  buildRefusal,
  buildUsage,
} from '../../../../src/slack/blocks/mfa-check/usage.js';
import { CHECK_ACTION_IDS } from '../../../../src/slack/blocks/ids.js';
import { blocksToText } from '../../../../src/slack/blocks/text.js';
import { rowState } from '../../../../src/domain/user-state.js';
import type { UserStatusRow } from '../../../../src/slack/blocks/user-status.js';
import {
  ACCOUNT,
  allText,
  exemptUser,
  expectHostileEscaped,
  expectWithinSlackLimits,
  failingUser,
  graceUser,
  hardwareMfaFail,
  HOSTILE,
  NOW,
  passingUser,
} from '../factories.js';

const acct = { accountId: ACCOUNT, partition: 'aws' as const, alias: 'prod' };
const row = (over: Partial<UserStatusRow> & Pick<UserStatusRow, 'userName'>): UserStatusRow => ({
  account: acct,
  verdicts: [],
  ...over,
});
const SCAN = { kind: 'scan' as const, at: new Date('2026-11-23T09:00:00Z'), accounts: 3 };

describe('buildUserStatusAnswer', () => {
  it(
    'lists the asker’s logins ' +
      'most urgent first, each with ' +
      'what to do next, the scan ' +
      'age and a Check again button',
    () => {
      const msg = buildUserStatusAnswer({
        subject: { kind: 'self', slackUserId: 'UANN000001' },
        rows: [
          row({ userName: 'ann.ops', verdicts: [passingUser('ann.ops')] }),
          row({ userName: 'ann.smith', verdicts: [failingUser('ann.smith')] }),
          row({ userName: 'ann.new', verdicts: [graceUser('ann.new', addDays(NOW, 5))] }),
        ],
        source: SCAN,
        askAgain: 'me',
        now: NOW,
      });
      expectWithinSlackLimits(msg.blocks);
      const text = blocksToText(msg.blocks);
      expect(text.indexOf('ann.smith')).toBeLessThan(text.indexOf('ann.new'));
      expect(text.indexOf('ann.new')).toBeLessThan(text.indexOf('ann.ops'));
      expect(text).toContain('No MFA yet, due 2026-11-28* (in 5 days)');
      expect(text).toContain('https://prod.signin.aws.amazon.com/console');
      expect(text).toContain('Nothing to do.');
      expect(text).toContain('From the scan of 2026-11-23 09:00 UTC (3 hours ago)');
      expect(msg.text).toBe('Your AWS console logins: 2 logins without MFA.');
      const actions = msg.blocks.find((b) => b.type === 'actions');
      expect(actions).toMatchObject({ elements: [{ action_id: CHECK_ACTION_IDS.checkAgain, value: 'me' }] });
    },
  );

  it('says how to get matched when the asker has no login, and says a live check is live', () => {
    const msg = buildUserStatusAnswer({
      subject: { kind: 'self', slackUserId: 'UANN000001' },
      rows: [],
      source: { kind: 'live', at: NOW },
      now: NOW,
    });
    const text = blocksToText(msg.blocks);
    expect(text).toContain('I found no AWS console login of yours');
    expect(text).toContain('slack=UANN000001');
    expect(text).toContain('Checked live with AWS at 2026-11-23 12:00 UTC');
    expect(msg.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('shows who an IAM user maps to in the admin view, and "unmapped" when nobody', () => {
    const msg = buildUserStatusAnswer({
      subject: { kind: 'iam-user', userName: 'deploy' },
      rows: [
        row({ userName: 'deploy', verdicts: [failingUser('deploy')], slackUserId: 'UANN000001' }),
        row({
          userName: 'deploy',
          account: { ...acct, accountId: '999988887777' },
          verdicts: [failingUser('deploy', '999988887777')],
        }),
      ],
      source: SCAN,
      now: NOW,
    });
    const text = allText(msg.blocks);
    expect(text).toContain('<@UANN000001>');
    expect(text).toContain('_unmapped_');
    expect(text).toContain('(2 accounts)');
  });

  it('names the special states: exempt, no console, hardware missing, missing user, unknown', () => {
    const rows = [
      row({ userName: 'ex', verdicts: [exemptUser('ex', 'break-glass <!here>')] }),
      row({ userName: 'nc', verdicts: [{ ...passingUser('nc'), status: 'not_applicable' }] }),
      row({ userName: 'hw', verdicts: [passingUser('hw'), hardwareMfaFail('hw')] }),
      row({ userName: 'gone', missing: true }),
      row({ userName: 'err', problem: 'AccessDenied: <not allowed>' }),
    ];
    expect(rows.map(rowState)).toEqual(['exempt', 'no-console', 'pass-not-hardware', 'missing', 'unknown']);
    const msg = buildUserStatusAnswer({
      subject: { kind: 'self', slackUserId: 'UANN000001' },
      rows,
      source: SCAN,
      now: NOW,
    });
    const text = blocksToText(msg.blocks);
    expect(text).toMatch(/Exempt until \d{4}-\d{2}-\d{2}/);
    expect(text).toContain('No console password');
    expect(text).toContain('not a hardware device');
    expect(text).toContain('No such IAM user');
    expect(text).toContain('Could not be checked');
    const json = allText(msg.blocks);
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<not allowed>');
  });

  it('escapes every AWS string (names in code spans, aliases, reasons)', () => {
    const rows = HOSTILE.map((name) =>
      row({ userName: name, account: { ...acct, alias: name }, verdicts: [exemptUser(name, name)] }),
    );
    const msg = buildUserStatusAnswer({ subject: { kind: 'iam-user', userName: 'x' }, rows, source: SCAN, now: NOW });
    expectHostileEscaped(allText(msg.blocks));
  });

  it('stays within Slack’s limits for hundreds of logins, and says how many were left out', () => {
    const rows = Array.from({ length: 400 }, (_, i) =>
      row({ userName: `user-${'x'.repeat(50)}-${i}`, verdicts: [failingUser(`user-${i}`)] }),
    );
    const msg = buildUserStatusAnswer({
      subject: { kind: 'person', slackUserId: 'UANN000001' },
      rows,
      source: SCAN,
      askAgain: '<@UANN000001>',
      now: NOW,
    });
    expectWithinSlackLimits(msg.blocks);
    expect(blocksToText(msg.blocks)).toMatch(/…and \d+ more logins/);
    expect(msg.blocks.at(-1)?.type).toBe('actions');
  });
});

describe('usage, refusal and errors', () => {
  it('echoes what was not understood, escaped, with the reason and the usage', () => {
    const msg = buildUsage({ text: 'user &lt;!channel&gt;', reason: 'an IAM user name has 1 to 64 letters' });
    const json = allText(msg.blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt;');
    expect(blocksToText(msg.blocks)).toContain('*/mfa-check account ACCOUNT_ID*');
    expectWithinSlackLimits(msg.blocks);
  });

  it('refuses with words that name nobody', () => {
    const refusal = buildRefusal();
    expect(allText(refusal.blocks)).not.toMatch(/<@|`/);
    for (const m of [refusal, buildNoScanYet(), buildInternalError(), buildUsage()]) expectWithinSlackLimits(m.blocks);
  });
});
