import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/dates.js';
import { buildDigest, DETAIL_MAX_ACCOUNTS } from '../../../src/slack/blocks/digest.js';
import { BLOCK_IDS } from '../../../src/slack/blocks/ids.js';
import { blocksToText } from '../../../src/slack/blocks/text.js';
import {
  account,
  ACCOUNT,
  accountId,
  allText,
  brokenAccount,
  csvPrincipals,
  exemptUser,
  expectHostileEscaped,
  expectWithinSlackLimits,
  failingUser,
  graceUser,
  hardwareMfaFail,
  HOSTILE,
  identities,
  manyFailing,
  NOW,
  passingUser,
  rootMfaFail,
  rootVirtualFail,
  scan,
} from './factories.js';

const none = identities([]);

function sectionsText(blocks: KnownBlock[]): string {
  return blocks
    .filter((b): b is SectionBlock => b.type === 'section')
    .map((b) => b.text?.text ?? '')
    .join('\n');
}

/** How many user lines of the failing list made it into the message. */
function listedUsers(blocks: KnownBlock[]): number {
  return (sectionsText(blocks).match(/`user-\d{5}`/g) ?? []).length;
}

describe('buildDigest: content', () => {
  it('mentions mapped failing users and marks unmapped ones', () => {
    const d = buildDigest({
      scan: scan([account({ verdicts: [failingUser('alice'), failingUser('bob'), passingUser('carol')] })]),
      identities: identities([[ACCOUNT, 'alice', 'U0ALICE01']]),
      now: NOW,
    });
    const text = sectionsText(d.blocks);
    expect(text).toContain('<@U0ALICE01> `alice`');
    expect(text).toContain('`bob` _unmapped_');
    expect(text).not.toContain('carol');
    expect(text).toContain('Console users without MFA* (2)');
    expect(text).toMatch(/1 unmapped/);
    expect(d.overflow).toBeUndefined();
  });

  it('names the account by ID and alias, the root MFA kind, the counts and the credential report age', () => {
    const d = buildDigest({
      scan: scan([
        account({
          rootMfa: 'virtual',
          verdicts: [
            failingUser('alice'),
            failingUser('bob'),
            passingUser('carol'),
            rootVirtualFail('arn:aws:iam::111122223333:mfa/root-phone'),
          ],
        }),
      ]),
      identities: none,
      now: NOW,
    });
    const text = sectionsText(d.blocks);
    expect(text).toContain('*Account `111122223333` (prod)*');
    expect(text).toContain('Root MFA: virtual');
    expect(text).toContain('Credential report: 3 hours old');
    expect(text).toContain('Checks: 3 fail · 1 pass');
  });

  it.each([
    ['none', ':x: none'],
    ['hardware', 'hardware'],
    ['unknown', 'unknown'],
  ] as const)('shows root MFA kind %s', (kind, shown) => {
    const d = buildDigest({ scan: scan([account({ rootMfa: kind })]), identities: none, now: NOW });
    expect(sectionsText(d.blocks)).toContain(`Root MFA: ${shown}`);
  });

  it('shows root MFA as not applicable under centralized root access', () => {
    const d = buildDigest({
      scan: scan([account({ rootMfa: 'none', rootCredentialsPresent: false })]),
      identities: none,
      now: NOW,
    });
    expect(sectionsText(d.blocks)).toContain('Root MFA: not applicable: no root credentials (centralized root access)');
    expect(sectionsText(d.blocks)).not.toContain(':x: none');
  });

  it('lists users in grace with their deadline', () => {
    const d = buildDigest({
      scan: scan([account({ verdicts: [graceUser('newbie', addDays(NOW, 5))] })]),
      identities: none,
      now: NOW,
    });
    expect(sectionsText(d.blocks)).toContain('`newbie` _unmapped_: MFA due 2026-11-28 (in 5 days)');
  });

  it('lists exempt users with the reason and the expiry', () => {
    // `expires: 2027-01-31` in the config: it ends at the next midnight UTC, and shows the date as written.
    const d = buildDigest({
      scan: scan([
        account({
          verdicts: [exemptUser('break-glass', 'sealed envelope in the safe', new Date('2027-02-01T00:00:00Z'))],
        }),
      ]),
      identities: none,
      now: NOW,
    });
    expect(sectionsText(d.blocks)).toContain(
      '`break-glass` _unmapped_: sealed envelope in the safe (until 2027-01-31)',
    );
  });

  it('lists root and other failing checks', () => {
    const d = buildDigest({
      scan: scan([account({ rootMfa: 'none', verdicts: [rootMfaFail(), hardwareMfaFail('dave')] })]),
      identities: none,
      now: NOW,
    });
    const text = sectionsText(d.blocks);
    expect(text).toContain('Root and other findings* (2)');
    expect(text).toContain('• Root MFA: The root user has no MFA');
    expect(text).toContain('• Hardware MFA, `dave` _unmapped_: No hardware MFA device');
  });

  it('shows an account error prominently, with code, message and hint', () => {
    const broken = brokenAccount('444455556666', {
      code: 'AccessDenied',
      message:
        'User: arn:aws:sts::444455556666:assumed-role/x is not authorized to perform: iam:GenerateCredentialReport',
      hint: 'attach policy/mfa-bot-readonly.json',
    });
    const d = buildDigest({
      scan: scan([account({ verdicts: [failingUser('alice')] }), broken]),
      identities: none,
      now: NOW,
    });
    const text = sectionsText(d.blocks);
    expect(text).toContain(':warning: *Could not scan this account:* `AccessDenied` User: arn:aws:sts::444455556666');
    expect(text).toContain('_Hint: attach policy/mfa-bot-readonly.json_');
    expect(text).toContain('could not be scanned');
    // The broken account comes first, before the one that was read.
    expect(text.indexOf('444455556666')).toBeLessThan(text.indexOf('111122223333'));
    expect(d.text).toContain('1 could not be scanned');
    // The error is not repeated once per check as "other findings".
    expect(text).not.toContain('Root and other findings');
  });

  it('says so when every console login has MFA', () => {
    const d = buildDigest({ scan: scan([account({ verdicts: [passingUser('alice')] })]), identities: none, now: NOW });
    expect(sectionsText(d.blocks)).toContain('Every console login has MFA');
    expect(d.overflow).toBeUndefined();
  });

  it('has a one-line fallback text with the totals', () => {
    const d = buildDigest({
      scan: scan([account({ verdicts: [failingUser('alice'), graceUser('bob')] })]),
      identities: none,
      now: NOW,
    });
    expect(d.text).not.toContain('\n');
    expect(d.text).toContain('1 account');
    expect(d.text).toContain('1 console user without MFA');
    expect(d.text).toContain('1 in grace');
  });

  it('keeps a long title within the header limit', () => {
    const d = buildDigest({ scan: scan([account()]), identities: none, now: NOW, title: 'Weekly '.repeat(60) });
    const headerBlock = d.blocks.find((b) => b.block_id === BLOCK_IDS.digestHeader);
    expect(headerBlock?.type).toBe('header');
    expectWithinSlackLimits(d.blocks);
  });
});

describe('buildDigest: escaping', () => {
  it('escapes hostile IAM names, aliases, exemption reasons and error messages everywhere', () => {
    const d = buildDigest({
      scan: scan([
        account({
          alias: '<!here>',
          verdicts: [
            failingUser(HOSTILE[0]),
            failingUser(HOSTILE[1]),
            graceUser(HOSTILE[2]),
            exemptUser(HOSTILE[3], 'ask <!channel> & <@U999>'),
            hardwareMfaFail('<https://evil|click>'),
          ],
        }),
        brokenAccount('444455556666', { code: 'Weird<!here>', message: 'denied for <@U777> & <https://x|y>' }),
      ]),
      identities: none,
      now: NOW,
    });
    const serialized = allText(d.blocks);
    expectHostileEscaped(serialized);
    expectHostileEscaped(serialized, ['<!here>', '<@U999>', '<@U777>', '<https://x|y>']);
    expect(d.text).not.toMatch(/<[!@h]/);
    // Escaped, yet readable as text.
    const text = blocksToText(d.blocks);
    for (const name of HOSTILE) expect(text).toContain(name);
  });

  it('escapes hostile names in the compact (many accounts) form too', () => {
    const accounts = Array.from({ length: 40 }, (_, i) =>
      account({
        accountId: accountId(i),
        alias: i === 0 ? 'x<!channel>' : undefined,
        verdicts: [failingUser('a&b', accountId(i))],
      }),
    );
    accounts.push(brokenAccount(accountId(99), { code: 'AccessDenied', message: '<!channel> & <@U123>' }));
    const d = buildDigest({ scan: scan(accounts), identities: none, now: NOW });
    const serialized = allText(d.blocks);
    expect(serialized).not.toContain('<!channel>');
    expect(serialized).not.toContain('<@U123>');
    expect(serialized).toContain('x&lt;!channel&gt;');
    expect(d.overflow?.content).toContain('a&b');
  });
});

describe('buildDigest: Slack limits', () => {
  it.each([1, 60, 1000, 10_000])('holds for %i failing users in one account', (n) => {
    const verdicts = [...manyFailing(n), graceUser('late-joiner'), exemptUser('break-glass', 'emergency access')];
    const d = buildDigest({ scan: scan([account({ verdicts })]), identities: none, now: NOW });
    expectWithinSlackLimits(d.blocks);
    const listed = listedUsers(d.blocks);
    const text = sectionsText(d.blocks);
    // The small categories survive a huge failing list.
    expect(text).toContain('`late-joiner`');
    expect(text).toContain('`break-glass`');
    if (n <= 60) {
      expect(listed).toBe(n);
      expect(d.overflow).toBeUndefined();
    } else {
      expect(listed).toBeGreaterThan(50);
      expect(listed).toBeLessThan(n);
      expect(text).toContain(`…and ${(n - listed).toLocaleString('en-US')} more failing users: see the attached CSV`);
      expect(text).toContain(`Console users without MFA* (${n.toLocaleString('en-US')})`);
      expect(d.overflow).toBeDefined();
      const principals = csvPrincipals(d.overflow!.content);
      expect(principals).toHaveLength(n + 2);
      expect(new Set(principals)).toEqual(new Set([...verdicts.map((v) => v.principal)]));
      expect(d.overflow!.filename).toBe('mfa-findings-2026-11-23.csv');
      expect(d.overflow!.title).toContain(`${(n + 2).toLocaleString('en-US')} rows`);
      expect(d.blocks.at(-1)?.block_id).toBe(BLOCK_IDS.digestOverflow);
    }
  });

  it('uses the room it has: 1,000 users fill most of the budget', () => {
    const d = buildDigest({ scan: scan([account({ verdicts: manyFailing(1000) })]), identities: none, now: NOW });
    expect(JSON.stringify(d.blocks).length).toBeGreaterThan(10_000);
  });

  it('holds with mapped users, whose lines are longer', () => {
    const verdicts = manyFailing(2000);
    const map = identities(verdicts.map((v, i) => [ACCOUNT, v.principal, `U${String(i).padStart(10, '0')}`]));
    const d = buildDigest({ scan: scan([account({ verdicts })]), identities: map, now: NOW });
    expectWithinSlackLimits(d.blocks);
    expect(sectionsText(d.blocks)).toContain('<@U0000000000> `user-00000`');
  });

  it('shares the room fairly between a few big accounts', () => {
    const accounts = Array.from({ length: DETAIL_MAX_ACCOUNTS }, (_, i) =>
      account({ accountId: accountId(i), alias: `acct-${i}`, verdicts: manyFailing(500, accountId(i)) }),
    );
    const d = buildDigest({ scan: scan(accounts), identities: none, now: NOW });
    expectWithinSlackLimits(d.blocks);
    const text = sectionsText(d.blocks);
    for (let i = 0; i < DETAIL_MAX_ACCOUNTS; i++) expect(text).toContain(`*Account \`${accountId(i)}\` (acct-${i})*`);
    expect(listedUsers(d.blocks)).toBeGreaterThanOrEqual(DETAIL_MAX_ACCOUNTS);
    expect(csvPrincipals(d.overflow!.content)).toHaveLength(500 * DETAIL_MAX_ACCOUNTS);
  });

  it(`switches to one line per account above ${DETAIL_MAX_ACCOUNTS} accounts`, () => {
    const make = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        account({ accountId: accountId(i), verdicts: [failingUser('alice', accountId(i))] }),
      );
    const few = buildDigest({ scan: scan(make(DETAIL_MAX_ACCOUNTS)), identities: none, now: NOW });
    expect(sectionsText(few.blocks)).toContain(`*Account \`${accountId(0)}\``);
    expect(few.overflow).toBeUndefined();
    const many = buildDigest({ scan: scan(make(DETAIL_MAX_ACCOUNTS + 1)), identities: none, now: NOW });
    const text = sectionsText(many.blocks);
    expect(text).not.toContain('*Account `');
    expect(text).toContain(`*Accounts with findings (${DETAIL_MAX_ACCOUNTS + 1} of ${DETAIL_MAX_ACCOUNTS + 1})*`);
    const firstAccount = `• :x: \`${accountId(0)}\` (prod): 1 without MFA · root MFA hardware · report 3 hours old`;
    expect(text).toContain(firstAccount);
    expect(csvPrincipals(many.overflow!.content)).toHaveLength(DETAIL_MAX_ACCOUNTS + 1);
  });

  it('holds for 300 accounts, one line each, worst first, detail in the CSV', () => {
    const accounts = Array.from({ length: 300 }, (_, i) =>
      account({
        accountId: accountId(i),
        alias: `team-${i}`,
        verdicts: [...manyFailing(i % 7, accountId(i)), passingUser('ok', accountId(i))],
      }),
    );
    accounts.push(brokenAccount(accountId(999), { code: 'AccessDenied', message: 'no access', hint: 'fix the role' }));
    const d = buildDigest({ scan: scan(accounts), identities: none, now: NOW });
    expectWithinSlackLimits(d.blocks);
    const text = sectionsText(d.blocks);
    const withFindings = accounts.filter((a) => a.verdicts.some((v) => v.status !== 'pass')).length;
    expect(text).toContain(`*Accounts with findings (${withFindings} of 301)*`);
    const lines = text.split('\n').filter((l) => l.startsWith('• '));
    // The unreadable account first, then the ones with most failures.
    expect(lines[0]).toContain(':warning:');
    expect(lines[0]).toContain(accountId(999));
    expect(lines[1]).toMatch(/6 without MFA/);
    const more = /…and ([\d,]+) more accounts with findings: see the attached CSV/.exec(text);
    expect(more).not.toBeNull();
    expect(lines.length + Number(more![1]!.replace(/,/g, ''))).toBe(withFindings);
    expect(text).toContain('nothing to fix');
    // No per-user lines in the compact form.
    expect(listedUsers(d.blocks)).toBe(0);
    const csvRows = csvPrincipals(d.overflow!.content);
    expect(csvRows).toHaveLength(accounts.flatMap((a) => a.verdicts).filter((v) => v.status !== 'pass').length);
  });

  it('holds for 500 accounts with 20 failing users each', () => {
    const accounts = Array.from({ length: 500 }, (_, i) =>
      account({ accountId: accountId(i), verdicts: manyFailing(20, accountId(i)) }),
    );
    const d = buildDigest({ scan: scan(accounts), identities: none, now: NOW });
    expectWithinSlackLimits(d.blocks);
    expect(csvPrincipals(d.overflow!.content)).toHaveLength(10_000);
  });

  it('holds for 500 clean accounts and needs no CSV', () => {
    const accounts = Array.from({ length: 500 }, (_, i) =>
      account({ accountId: accountId(i), verdicts: [passingUser('ok', accountId(i))] }),
    );
    const d = buildDigest({ scan: scan(accounts), identities: none, now: NOW });
    expectWithinSlackLimits(d.blocks);
    expect(sectionsText(d.blocks)).toContain('500 accounts have nothing to fix');
    expect(d.overflow).toBeUndefined();
  });

  it('holds for 300 unreadable accounts', () => {
    const accounts = Array.from({ length: 300 }, (_, i) =>
      brokenAccount(accountId(i), { code: 'AccessDenied', message: 'x'.repeat(2000), hint: 'y'.repeat(2000) }),
    );
    const d = buildDigest({ scan: scan(accounts), identities: none, now: NOW });
    expectWithinSlackLimits(d.blocks);
    expect(d.overflow).toBeDefined();
  });

  it('holds when AWS strings are huge and full of characters that expand when escaped', () => {
    const d = buildDigest({
      scan: scan([
        account({
          alias: '&'.repeat(5000),
          verdicts: [failingUser('<'.repeat(3000)), exemptUser('svc', '>'.repeat(5000)), graceUser('é'.repeat(3000))],
        }),
        brokenAccount('444455556666', { code: '&'.repeat(500), message: '<'.repeat(5000), hint: '>'.repeat(5000) }),
      ]),
      identities: none,
      now: NOW,
    });
    expectWithinSlackLimits(d.blocks);
    // Truncation never leaves half an entity behind.
    for (const b of d.blocks) {
      if (b.type === 'section' && b.text) expect(b.text.text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  });
});

describe('account names from AWS Organizations', () => {
  it('show next to the alias in the digest, escaped', async () => {
    const { buildDigest } = await import('../../../src/slack/blocks/digest.js');
    const scan = {
      generatedAt: new Date('2026-11-23T12:00:00Z'),
      accounts: [
        {
          accountId: '111122223333',
          partition: 'aws' as const,
          alias: 'acme-prod',
          name: 'Prod <!channel> & co',
          rootMfa: 'hardware' as const,
          rootCredentialsPresent: true,
          verdicts: [],
        },
      ],
    };
    const text = JSON.stringify(
      buildDigest({ scan, identities: new Map(), now: new Date('2026-11-23T12:00:00Z') }).blocks,
    );
    expect(text).toContain('acme-prod · Prod &lt;!channel&gt; &amp; co');
    expect(text).not.toContain('<!channel>');
  });
});

describe('buildDigest: identity conflicts', () => {
  const conflict = (i: number, value: string) => ({
    accountId: ACCOUNT,
    userName: `user-${i}`,
    claims: [
      { via: 'slack-tag' as const, value: 'UEVE0000001', slackUserId: 'UEVE0000001' },
      { via: 'email-tag' as const, value, slackUserId: `UANN${String(i).padStart(7, '0')}` },
    ],
  });

  it('lists each conflict under the summary with both members, the first ten by name, AWS-sourced text escaped', () => {
    const conflicts = Array.from({ length: 12 }, (_, i) => conflict(i, `${HOSTILE[i % HOSTILE.length]}@example.com`));
    const digest = buildDigest({
      scan: scan([account({ verdicts: [failingUser('user-0')] })]),
      identities: none,
      now: NOW,
      conflicts,
    });
    expectWithinSlackLimits(digest.blocks);
    const text = blocksToText(digest.blocks);
    expect(text).toContain(
      '12 identity conflicts: no DM about these IAM users until `identity.map` names the right Slack user',
    );
    expect(text).toContain(`• \`user-0\` in \`${ACCOUNT}\`: slack-tag \`UEVE0000001\` → @UEVE0000001 · email-tag`);
    expect(allText(digest.blocks)).toContain('<@UANN0000009>');
    expect(allText(digest.blocks)).not.toContain('<@UANN0000010>');
    expect(text).toContain('…and 2 more');
    expectHostileEscaped(JSON.stringify(digest.blocks));
  });

  it('says nothing about conflicts when there are none', () => {
    const digest = buildDigest({
      scan: scan([account({ verdicts: [failingUser('ann')] })]),
      identities: none,
      now: NOW,
      conflicts: [],
    });
    expect(allText(digest.blocks)).not.toContain('identity conflict');
  });
});
