import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildHome } from '../../../src/slack/blocks/home.js';
import { blocksToText } from '../../../src/slack/blocks/text.js';
import type { UserStatusRow } from '../../../src/slack/blocks/user-status.js';
import { account, accountId, ACCOUNT, allText, failingUser, HOSTILE, NOW, passingUser, scan } from './factories.js';

const acct = { accountId: ACCOUNT, partition: 'aws' as const, alias: 'prod' };
const failing: UserStatusRow = { account: acct, userName: 'ann.smith', verdicts: [failingUser('ann.smith')] };
const fine: UserStatusRow = { account: acct, userName: 'ann.ops', verdicts: [passingUser('ann.ops')] };

function expectValidHome(blocks: readonly KnownBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(100);
  expect(Buffer.byteLength(JSON.stringify(blocks))).toBeLessThan(100_000);
  for (const b of blocks) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
}

describe('buildHome', () => {
  it('shows the person’s own logins and, when one fails, the enrollment steps', () => {
    const view = buildHome({
      slackUserId: 'UANN000001',
      rows: [fine, failing],
      scan: scan([account()]),
      isAdmin: false,
      now: NOW,
    });
    expect(view.type).toBe('home');
    const text = blocksToText(view.blocks as KnownBlock[]);
    expect(text).toContain('1 of your AWS console logins has no MFA yet');
    expect(text.indexOf('ann.smith')).toBeLessThan(text.indexOf('ann.ops'));
    expect(text).toContain('How to turn on MFA');
    expect(text).toContain('passkey or security key');
    expect(text).not.toContain('All accounts');
    expectValidHome(view.blocks as KnownBlock[]);
  });

  it('says all is well, or how to get matched, or that the first scan runs', () => {
    expect(
      blocksToText(
        buildHome({ slackUserId: 'UANN000001', rows: [fine], scan: scan([account()]), isAdmin: false, now: NOW })
          .blocks as KnownBlock[],
      ),
    ).toContain('is fine. Nothing to do.');
    const none = blocksToText(
      buildHome({ slackUserId: 'UANN000001', rows: [], scan: scan([account()]), isAdmin: false, now: NOW })
        .blocks as KnownBlock[],
    );
    expect(none).toContain('slack=UANN000001');
    expect(
      blocksToText(buildHome({ slackUserId: 'UANN000001', rows: [], isAdmin: true, now: NOW }).blocks as KnownBlock[]),
    ).toContain('still running');
  });

  it('gives admins every account and the last and next scan times', () => {
    const accounts = [
      account(),
      account({ accountId: accountId(7), alias: 'dev', verdicts: [failingUser('x', accountId(7))] }),
    ];
    const view = buildHome({
      slackUserId: 'UADMIN0001',
      rows: [],
      scan: scan(accounts),
      nextScanAt: new Date('2026-11-24T08:00:00Z'),
      isAdmin: true,
      now: NOW,
    });
    const text = blocksToText(view.blocks as KnownBlock[]);
    expect(text).toContain('All accounts (admins)');
    expect(text).toContain('Last scan: 2026-11-23 11:30 UTC · Next scan: 2026-11-24 08:00 UTC');
    expect(text).toContain(accountId(7));
  });

  it('stays within 100 blocks with hundreds of own logins and thousands of accounts, and escapes AWS text', () => {
    const rows = Array.from(
      { length: 300 },
      (_, i): UserStatusRow => ({
        account: { ...acct, alias: HOSTILE[i % HOSTILE.length] },
        userName: `user-${'y'.repeat(40)}-${i}`,
        verdicts: [failingUser(`u${i}`)],
      }),
    );
    const accounts = Array.from({ length: 3000 }, (_, i) =>
      account({
        accountId: accountId(i),
        alias: `alias-${'z'.repeat(30)}-${i}`,
        verdicts: [failingUser('x', accountId(i))],
      }),
    );
    const view = buildHome({ slackUserId: 'UADMIN0001', rows, scan: scan(accounts), isAdmin: true, now: NOW });
    const blocks = view.blocks as KnownBlock[];
    expectValidHome(blocks);
    const text = blocksToText(blocks);
    expect(text).toMatch(/…and [\d,]+ more logins/);
    expect(text).toMatch(/…and [\d,]+ more accounts/);
    expect(allText(blocks)).not.toContain('<!channel>');
  });

  it('gives admins, and only them, the chart’s headline: coverage and its change, open cases, the oldest one', () => {
    const headline = {
      consoleUsers: 1200,
      withMfa: 1100,
      coveragePercent: (100 * 1100) / 1200,
      before: { at: new Date('2026-08-25T08:00:00Z'), coveragePercent: 70 },
      openCases: 57,
      oldestOpenCase: { accountId: ACCOUNT, userName: HOSTILE[0]!, openedAt: new Date('2026-10-01T09:00:00Z') },
    };
    const input = { slackUserId: 'UADMIN0001', rows: [], scan: scan([account()]), headline, now: NOW };
    const blocks = buildHome({ ...input, isAdmin: true }).blocks as KnownBlock[];
    const text = blocksToText(blocks);
    expect(text).toContain(
      '*Console MFA coverage:* 91.7% (1,100 of 1,200 console users) · up 21.7 points since 2026-08-25 (70.0%)',
    );
    expect(text).toMatch(/\*Open cases:\* 57 · the oldest open for 53 days: `<!channel>` in `111122223333`/);
    expect(allText(blocks)).not.toContain(HOSTILE[0]!);
    expectValidHome(blocks);

    const down = { ...headline, before: { at: headline.before.at, coveragePercent: 95 } };
    expect(blocksToText(buildHome({ ...input, headline: down, isAdmin: true }).blocks as KnownBlock[])).toContain(
      'down 3.3 points since 2026-08-25',
    );
    expect(blocksToText(buildHome({ ...input, isAdmin: false }).blocks as KnownBlock[])).not.toContain('coverage');
  });
});
