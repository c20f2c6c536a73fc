import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { diffScans } from '../../../src/domain/scan-diff.js';
import { trendsOf, type AccountScanSummary } from '../../../src/domain/trend.js';
import {
  buildDigestMemory,
  MEMORY_MAX_NAMES,
  MEMORY_MAX_TRENDS,
  type DigestMemory,
} from '../../../src/slack/blocks/digest-memory.js';
import { buildDigest } from '../../../src/slack/blocks/digest.js';
import { BLOCK_IDS } from '../../../src/slack/blocks/ids.js';
import {
  account,
  ACCOUNT,
  accountId,
  allText,
  exemptUser,
  expectHostileEscaped,
  expectWithinSlackLimits,
  failingUser,
  HOSTILE,
  identities,
  manyFailing,
  NOW,
  passingUser,
  scan,
} from './factories.js';

const none = identities([]);
const text = (blocks: KnownBlock[]) => blocks.map((b) => (b as SectionBlock).text?.text ?? '').join('\n');

function points(accountIdValue: string, coverages: number[]): AccountScanSummary[] {
  return coverages.map((c, i) => ({
    scanId: i + 1,
    scannedAt: new Date(NOW.getTime() - (coverages.length - i) * 86_400_000),
    accountId: accountIdValue,
    rootMfa: 'hardware',
    users: { pass: c, fail: 100 - c, grace: 0, exempt: 0 },
    failing: 100 - c,
  }));
}

function memory(
  previous: ReturnType<typeof scan> | undefined,
  current: ReturnType<typeof scan>,
  summaries: AccountScanSummary[] = [],
): DigestMemory {
  return {
    diff: diffScans(previous ? { ...previous, generatedAt: new Date('2026-11-22T08:00:00Z') } : undefined, current),
    trends: trendsOf(summaries),
  };
}

describe('buildDigestMemory', () => {
  it('says when there is nothing to compare with yet', () => {
    expect(text(buildDigestMemory(memory(undefined, scan([account()])), none))).toContain('this is the first scan');
  });

  it('lists the newly failing, the fixed, new and expired exemptions, people mentioned where mapped', () => {
    const before = scan([
      account({
        verdicts: [failingUser('ann'), passingUser('bob'), failingUser('carol'), exemptUser('dan', 'break-glass')],
      }),
    ]);
    const now = scan([
      account({
        verdicts: [passingUser('ann'), failingUser('bob'), exemptUser('carol', 'leaving'), failingUser('dan')],
      }),
    ]);
    const t = text(buildDigestMemory(memory(before, now), identities([[ACCOUNT, 'ann', 'U0ANN0001']])));
    expect(t).toContain('*Since the last scan* (2026-11-22 08:00 UTC)');
    expect(t).toContain(':new: *Newly failing (1):* `bob` _unmapped_');
    expect(t).toContain(':white_check_mark: *Fixed (1):* <@U0ANN0001> `ann`');
    expect(t).toContain(':white_circle: *New exemptions (1):* `carol` _unmapped_');
    expect(t).toContain(':alarm_clock: *Exemptions expired (1):* `dan` _unmapped_');
  });

  it('says "no changes" when nothing moved, and names the account when several changed', () => {
    const same = scan([account({ verdicts: [failingUser('ann')] })]);
    expect(text(buildDigestMemory(memory(same, same), none))).toContain('(2026-11-22 08:00 UTC): no changes.');
    const two = (v: boolean) =>
      scan([
        account({ verdicts: [v ? failingUser('ann') : passingUser('ann')] }),
        account({
          accountId: accountId(1),
          verdicts: [v ? failingUser('bob', accountId(1)) : passingUser('bob', accountId(1))],
        }),
      ]);
    expect(text(buildDigestMemory(memory(two(false), two(true)), none))).toContain(
      `\`ann\` _unmapped_ in \`${ACCOUNT}\`, \`bob\` _unmapped_ in \`${accountId(1)}\``,
    );
  });

  it(`names at most ${MEMORY_MAX_NAMES} people per change and counts the rest`, () => {
    const t = text(buildDigestMemory(memory(scan([account()]), scan([account({ verdicts: manyFailing(25) })])), none));
    expect(t).toContain('*Newly failing (25):*');
    expect((t.match(/`user-\d{5}`/g) ?? []).length).toBe(MEMORY_MAX_NAMES);
    expect(t).toContain('…and 15 more');
  });

  it("draws each account's coverage over the scans, worst first, at most a screenful", () => {
    const summaries = [...points(ACCOUNT, [50, 60, 70, 80, 90, 100]), ...points(accountId(1), [40, 40, 30])];
    const t = text(buildDigestMemory(memory(undefined, scan([account()]), summaries), none));
    expect(t).toContain('*Console MFA coverage, last 6 scans*');
    const lines = t.split('\n').filter((l) => l.startsWith('• '));
    expect(lines).toEqual([
      `• \`${accountId(1)}\` \`██▁\` 40% → 30% · 70 failing`,
      `• \`${ACCOUNT}\` \`▁▂▄▅▇█\` 50% → 100% · 0 failing`,
    ]);
    const many = Array.from({ length: 25 }, (_, i) => points(accountId(i), [90, 95])).flat();
    const m = text(buildDigestMemory(memory(undefined, scan([account()]), many), none));
    expect(m.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(MEMORY_MAX_TRENDS);
    expect(m).toContain('…and 15 more accounts');
  });

  it('escapes hostile names', () => {
    const t = allText(
      buildDigestMemory(
        memory(
          scan([account()]),
          scan([account({ alias: '<!here>', verdicts: HOSTILE.map((h) => failingUser(h)) })]),
          points(ACCOUNT, [1, 2]),
        ),
        none,
      ),
    );
    expectHostileEscaped(t);
  });
});

describe('buildDigest with memory', () => {
  it('shows the memory right under the summary', () => {
    const d = buildDigest({
      scan: scan([account({ verdicts: [failingUser('ann')] })]),
      identities: none,
      now: NOW,
      memory: memory(undefined, scan([account()]), points(ACCOUNT, [0, 0])),
    });
    expect(d.blocks.slice(3, 5).map((b) => b.block_id)).toEqual([BLOCK_IDS.digestChanges, BLOCK_IDS.digestTrend]);
  });

  it.each([
    ['10 accounts with 1,000 failing users each', 10, 1000],
    ['500 accounts with 20 failing users each', 500, 20],
  ])("stays within Slack's limits for %s, every one of them new, with 14-scan trends", (_, accounts, users) => {
    const current = scan(
      Array.from({ length: accounts }, (_x, i) =>
        account({ accountId: accountId(i), alias: `team-${i}`, verdicts: manyFailing(users, accountId(i)) }),
      ),
    );
    const previous = scan(
      current.accounts.map((a) => ({ ...a, verdicts: a.verdicts.map((v) => ({ ...v, status: 'pass' as const })) })),
    );
    const summaries = current.accounts.flatMap((a) =>
      points(a.accountId, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 90, 80, 70, 60]),
    );
    const d = buildDigest({ scan: current, identities: none, now: NOW, memory: memory(previous, current, summaries) });
    expectWithinSlackLimits(d.blocks);
    expect(d.overflow).toBeDefined();
    expect(allText(d.blocks)).toContain(`*Newly failing (${(accounts * users).toLocaleString('en-US')}):*`);
  });
});
