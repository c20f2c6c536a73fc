import { describe, expect, it } from 'vitest';
import {
  buildAccountAnswer,
  buildAccountNotScanned,
  buildRootAnswer,
  buildSummaryAnswer,
} from '../../../../src/slack/blocks/mfa-check/account.js';
import { blocksToText } from '../../../../src/slack/blocks/text.js';
import {
  account,
  accountId,
  ACCOUNT,
  allText,
  brokenAccount,
  exemptUser,
  expectHostileEscaped,
  expectWithinSlackLimits,
  failingUser,
  graceUser,
  HOSTILE,
  identities,
  manyFailing,
  NOW,
  passingUser,
  rootMfaFail,
  scan,
} from '../factories.js';

describe('buildAccountAnswer', () => {
  it('shows root state, counts and every finding with the person it maps to', () => {
    const a = account({
      verdicts: [
        rootMfaFail(),
        failingUser('ann.smith'),
        failingUser('nobody'),
        graceUser('newbie'),
        exemptUser('breakglass', 'sealed envelope'),
        passingUser('bob'),
      ],
    });
    const msg = buildAccountAnswer({
      account: a,
      scan: scan([a]),
      identities: identities([[ACCOUNT, 'ann.smith', 'UANN000001']]),
      now: NOW,
      nextScanAt: new Date('2026-11-24T08:00:00Z'),
    });
    expectWithinSlackLimits(msg.blocks);
    const text = blocksToText(msg.blocks);
    expect(text).toContain(`Account \`${ACCOUNT}\` (prod)`);
    expect(text).toContain('Root MFA: hardware');
    expect(text).toContain('Credential report: 3 hours old');
    expect(allText(msg.blocks)).toContain('<@UANN000001> `ann.smith`: no MFA');
    expect(text).toContain('`nobody` _unmapped_: no MFA');
    expect(text).toContain('MFA due');
    expect(text).toContain('sealed envelope');
    expect(text).toContain('Next scan: 2026-11-24 08:00 UTC');
    expect(text).not.toContain('bob');
  });

  it('says when there is nothing to fix, and when the account could not be scanned', () => {
    const clean = account({ verdicts: [passingUser('bob')] });
    expect(
      blocksToText(buildAccountAnswer({ account: clean, scan: scan([clean]), identities: new Map(), now: NOW }).blocks),
    ).toContain('Nothing to fix');
    const broken = brokenAccount('999988887777', {
      code: 'AccessDenied',
      message: 'not <authorized>',
      hint: 'attach the policy',
    });
    const text = allText(
      buildAccountAnswer({ account: broken, scan: scan([broken]), identities: new Map(), now: NOW }).blocks,
    );
    expect(text).toContain('Could not scan');
    expect(text).toContain('not &lt;authorized&gt;');
    expect(blocksToText(buildAccountNotScanned('999988887777', scan([clean]), NOW).blocks)).toContain(
      'not in the latest scan (1 account)',
    );
  });

  it('stays within the limits with thousands of failing users, and escapes hostile names', () => {
    const a = account({ alias: HOSTILE[0], verdicts: [...manyFailing(3000), ...HOSTILE.map((h) => failingUser(h))] });
    const msg = buildAccountAnswer({ account: a, scan: scan([a]), identities: new Map(), now: NOW });
    expectWithinSlackLimits(msg.blocks);
    expect(blocksToText(msg.blocks)).toMatch(/…and [\d,]+ more/);
    const b = account({ alias: 'x', verdicts: HOSTILE.map((h) => failingUser(h)) });
    expectHostileEscaped(
      allText(buildAccountAnswer({ account: b, scan: scan([b]), identities: new Map(), now: NOW }).blocks),
    );
  });
});

describe('buildRootAnswer and buildSummaryAnswer', () => {
  const accounts = [
    account({ accountId: accountId(1), alias: 'clean', verdicts: [passingUser('a', accountId(1))] }),
    account({
      accountId: accountId(2),
      alias: 'rooty',
      rootMfa: 'none',
      verdicts: [rootMfaFail(accountId(2)), failingUser('b', accountId(2))],
    }),
    brokenAccount(accountId(3), { code: 'AccessDenied', message: 'nope' }),
  ];

  it('puts the accounts that need attention first', () => {
    const root = blocksToText(buildRootAnswer(scan(accounts), NOW).blocks);
    expect(root.indexOf(accountId(3))).toBeLessThan(root.indexOf(accountId(2)));
    expect(root.indexOf(accountId(2))).toBeLessThan(root.indexOf(accountId(1)));
    expect(root).toContain('3 accounts, 1 with a finding');
    const summary = buildSummaryAnswer(scan(accounts), NOW);
    const text = blocksToText(summary.blocks);
    expect(text).toContain('1 not scanned');
    expect(text).toContain('1 console user without MFA');
    expect(text).toContain('1 root finding');
    expect(text).toContain('Next scan: not scheduled');
    expect(summary.text).toBe('3 accounts: 1 console user without MFA, 1 root finding.');
  });

  it('fits a thousand accounts into one message', () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      account({ accountId: accountId(i), alias: `account-alias-${i}`, verdicts: [failingUser('x', accountId(i))] }),
    );
    for (const msg of [buildRootAnswer(scan(many), NOW), buildSummaryAnswer(scan(many), NOW)]) {
      expectWithinSlackLimits(msg.blocks);
      expect(blocksToText(msg.blocks)).toMatch(/…and [\d,]+ more accounts/);
    }
  });

  it('for an approver: the root access line and at most ten "Delete root credentials" buttons, names escaped', () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      account({ accountId: accountId(i), name: HOSTILE[i % HOSTILE.length], rootCredentialsPresent: true }),
    );
    const access = { credentialsManagement: true, rootSessions: false, managementAccountId: accountId(0) };
    const deletable = many.slice(1);
    const msg = buildRootAnswer(scan(many), NOW, undefined, { access, deletable });
    expectWithinSlackLimits(msg.blocks);
    const buttons = msg.blocks.filter((b) => b.type === 'actions' && b.block_id?.startsWith('mfa_root_delete_'));
    expect(buttons).toHaveLength(10);
    const text = allText(msg.blocks);
    expect(text).toContain('Centralized root access: root credentials management on, root sessions off');
    expect(text).toContain('…and 989 more member roots with credentials');
    expectHostileEscaped(text);
  });
});
