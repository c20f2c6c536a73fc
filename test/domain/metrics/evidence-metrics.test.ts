import { describe, expect, it } from 'vitest';
import { userConsoleMfa } from '../../../src/domain/checks/user-console-mfa.js';
import { verdictOf } from '../../../src/domain/checks/check.js';
import type { NudgeCase } from '../../../src/domain/ledger.js';
import { ENFORCED_STEP, LIFTED_STEP } from '../../../src/domain/enforcement/steps.js';
import { evidenceMetrics, listExemptions, type MetricsInput } from '../../../src/domain/metrics/evidence-metrics.js';
import type { AccountResult, ScanResult, Status } from '../../../src/domain/types.js';
import { ACCOUNT, DAY, openCase, sent } from '../nudge-fixtures.js';

const OTHER = '444455556666';
const NOW = new Date('2026-12-01T12:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

function account(accountId: string, users: Array<[string, Status]>, over: Partial<AccountResult> = {}): AccountResult {
  return {
    accountId,
    partition: 'aws',
    rootMfa: 'hardware',
    verdicts: users.map(([name, status]) =>
      verdictOf(userConsoleMfa, { accountId }, name, `arn:aws:iam::${accountId}:user/${name}`, status, 'r'),
    ),
    ...over,
  };
}

function fixedCase(userName: string, openedDaysAgo: number, fixedDaysAgo: number, over: Partial<NudgeCase> = {}) {
  return openCase(userName, {
    openedAt: ago(openedDaysAgo),
    resolvedAt: ago(fixedDaysAgo),
    resolution: 'fixed',
    ...over,
  });
}

function input(over: Partial<MetricsInput>): MetricsInput {
  return { now: NOW, since: ago(90), cases: [], exemptions: [], escalateAfter: 3, teams: [], ...over };
}

describe('evidenceMetrics', () => {
  it('coverage now: console users with MFA ÷ console users, per account and overall; unreadable ones apart', () => {
    const scan: ScanResult = {
      generatedAt: NOW,
      accounts: [
        account(ACCOUNT, [
          ['ann', 'pass'],
          ['bob', 'fail'],
          ['cid', 'grace'],
          ['dan', 'not_applicable'],
        ]),
        account(OTHER, [['eve', 'pass']]),
        account('777788889999', [], { error: { code: 'AccessDenied', message: 'no' } }),
      ],
    };
    const m = evidenceMetrics(input({ latestScan: scan }));
    expect(m.overall.coverage).toEqual({ consoleUsers: 4, withMfa: 2, percent: 50, unreadAccounts: ['777788889999'] });
    expect(m.accounts.map((a) => [a.scope.id, a.coverage.percent])).toEqual([
      [ACCOUNT, (100 * 1) / 3],
      [OTHER, 100],
      ['777788889999', undefined],
    ]);
  });

  it('open cases by age; resolved ones are not open', () => {
    const cases = [
      openCase('a', { openedAt: ago(1) }),
      openCase('b', { openedAt: ago(6.9) }),
      openCase('c', { openedAt: ago(7) }),
      openCase('d', { openedAt: ago(45) }),
      openCase('e', { openedAt: ago(200) }),
      fixedCase('f', 300, 10),
    ];
    expect(evidenceMetrics(input({ cases })).overall.openCases).toEqual({
      total: 5,
      byAge: { under7d: 2, days7to30: 1, days30to90: 1, over90d: 1 },
    });
  });

  it('time to MFA: median and p90 from the finding and from the first nudge, over fixes inside the window', () => {
    // Fixed after 1..10 days from the finding; each was first nudged one day after the finding.
    const cases = Array.from({ length: 10 }, (_, i) =>
      fixedCase(`u${i}`, 20 + i + 1, 20, { messages: [sent('nudge-1', ago(20 + i))] }),
    );
    cases.push(fixedCase('outside-window', 200, 100));
    cases.push(openCase('no-console', { openedAt: ago(30), resolvedAt: ago(5), resolution: 'no-console' }));
    const m = evidenceMetrics(input({ cases }));
    expect(m.overall.fixedInWindow).toBe(10);
    expect(m.overall.timeToMfa.fromFinding).toEqual({ count: 10, medianDays: 5.5, p90Days: 9 });
    expect(m.overall.timeToMfa.fromFirstNudge).toEqual({ count: 10, medianDays: 4.5, p90Days: 8 });
  });

  it('counts each fix by the furthest stage delivered before it, enforcement included', () => {
    const cases = [
      fixedCase('quiet', 10, 9),
      fixedCase('first', 10, 5, { messages: [sent('nudge-1', ago(9))] }),
      fixedCase('grace', 10, 5, { openedStatus: 'grace', messages: [sent('grace', ago(9))] }),
      fixedCase('reminded', 20, 5, { messages: [sent('nudge-1', ago(19)), sent('nudge-2', ago(15))] }),
      fixedCase('escalated', 20, 2, {
        messages: [sent('nudge-1', ago(19)), sent('nudge-2', ago(15)), sent('escalation', ago(10))],
      }),
      fixedCase('enforced', 30, 1, {
        messages: [sent('nudge-1', ago(29)), sent('escalation', ago(20)), sent(ENFORCED_STEP, ago(5))],
      }),
      // A reminder Slack refused, and an escalation claimed after the fix, do not count.
      fixedCase('refused', 20, 5, {
        messages: [
          sent('nudge-1', ago(19)),
          sent('nudge-2', ago(15), { state: 'abandoned' }),
          sent('escalation', ago(1)),
        ],
      }),
    ];
    expect(evidenceMetrics(input({ cases })).overall.fixedAfter).toEqual({
      'before-nudge': 1,
      'first-nudge': 3,
      reminder: 1,
      escalation: 1,
      enforcement: 1,
    });
  });

  it('overdue: open, past grace, and escalateAfter nudges delivered (the grace nudge is not one)', () => {
    const three = [sent('nudge-1', ago(20)), sent('nudge-2', ago(15)), sent('nudge-3', ago(10))];
    const cases = [
      openCase('overdue', { openedAt: ago(30), messages: three }),
      openCase('two', { openedAt: ago(30), messages: three.slice(0, 2) }),
      openCase('graced', { openedAt: ago(30), openedStatus: 'grace', messages: [sent('grace', ago(29)), ...three] }),
      openCase('still-grace', { openedAt: ago(30), openedStatus: 'grace', messages: three }),
      fixedCase('fixed', 30, 1, { messages: three }),
    ];
    const scan: ScanResult = {
      generatedAt: NOW,
      accounts: [
        account(ACCOUNT, [
          ['overdue', 'fail'],
          ['two', 'fail'],
          ['graced', 'fail'],
          ['still-grace', 'grace'],
        ]),
      ],
    };
    const overdue = evidenceMetrics(input({ cases, latestScan: scan })).overall.overdue.map((k) => k.userName);
    expect(overdue).toEqual(['overdue', 'graced']);
    expect(evidenceMetrics(input({ cases, latestScan: scan, escalateAfter: 2 })).overall.overdue).toHaveLength(3);
  });

  it('enforced now: the last enforcement step delivered is enforced, not lifted', () => {
    const cases = [
      openCase('on', { messages: [sent(ENFORCED_STEP, ago(3))] }),
      openCase('lifted', { messages: [sent(ENFORCED_STEP, ago(3)), sent(LIFTED_STEP, ago(2))] }),
      openCase('refused', { messages: [sent(ENFORCED_STEP, ago(3), { state: 'failed' })] }),
    ];
    expect(evidenceMetrics(input({ cases })).overall.enforcedNow).toBe(1);
  });

  it('exemptions that expire within the next 30 days, soonest first, per scope', () => {
    const e = (account: string, principal: string, days: number) => ({
      account,
      principal,
      reason: 'break glass',
      expires: new Date(NOW.getTime() + days * DAY),
    });
    const exemptions = [e(ACCOUNT, 'late', 29), e(ACCOUNT, 'past', -1), e(ACCOUNT, 'far', 31), e(OTHER, 'soon', 2)];
    const m = evidenceMetrics(
      input({ exemptions: listExemptions([...exemptions, { ...e(OTHER, 'ok', 3), approvedBy: 'CISO' }]) }),
    );
    expect(m.overall.expiringExemptions.map((x) => [x.principal, x.source, x.approvedBy])).toEqual([
      ['soon', 'config exemptions[3]', undefined],
      ['ok', 'config exemptions[4]', 'CISO'],
      ['late', 'config exemptions[0]', undefined],
    ]);
    expect(m.accounts.find((a) => a.scope.id === ACCOUNT)!.expiringExemptions.map((x) => x.principal)).toEqual([
      'late',
    ]);
  });

  it('per routed team: only the accounts its route lists', () => {
    const cases = [openCase('a'), openCase('b', { accountId: OTHER }), openCase('c', { accountId: OTHER })];
    const m = evidenceMetrics(input({ cases, teams: [{ name: 'C0TEAM0001', accounts: [OTHER] }] }));
    expect(m.teams.map((t) => [t.scope.id, t.scope.accounts, t.openCases.total])).toEqual([['C0TEAM0001', [OTHER], 2]]);
    expect(m.overall.openCases.total).toBe(3);
    expect(m.accounts.map((a) => [a.scope.id, a.openCases.total])).toEqual([
      [ACCOUNT, 1],
      [OTHER, 2],
    ]);
  });
});
