import { describe, expect, it } from 'vitest';
import { listExemptions } from '../../../src/domain/metrics/evidence-metrics.js';
import { principalTimelines } from '../../../src/report/evidence/timeline.js';
import { ACCOUNT, DAY, openCase, sent } from '../../domain/nudge-fixtures.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const SINCE = new Date(NOW.getTime() - 30 * DAY);
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('principalTimelines', () => {
  it('shows users whose case was open during the window (from its start), or whose exemption was in force', () => {
    const cases = [
      openCase('long', { openedAt: ago(60), messages: [sent('nudge-1', ago(59))] }),
      openCase('fixed-before', { openedAt: ago(60), resolvedAt: ago(31), resolution: 'fixed' }),
      openCase('fixed-inside', { openedAt: ago(40), resolvedAt: ago(10), resolution: 'fixed' }),
    ];
    const exemptions = listExemptions([
      { account: ACCOUNT, principal: 'lapsed', reason: 'old', expires: ago(31) },
      { account: ACCOUNT, principal: 'glass', reason: 'break glass', expires: ago(-5), approvedBy: 'CISO' },
    ]);
    const timelines = principalTimelines({
      since: SINCE,
      now: NOW,
      cases,
      snoozes: [
        { accountId: ACCOUNT, userName: 'long', cycle: 1, at: ago(50), until: ago(49) },
        { accountId: ACCOUNT, userName: 'fixed-before', cycle: 1, at: ago(50), until: ago(49) },
      ],
      helpRequests: [
        { accountId: ACCOUNT, userName: 'long', slackUserId: 'U1', at: ago(40) },
        { accountId: ACCOUNT, userName: 'long', slackUserId: 'U1', at: ago(5), requestId: 'trigger-9' },
      ],
      exemptions,
      statuses: new Map([[`${ACCOUNT}/long`, 'fail']]),
    });
    expect(timelines.map((t) => t.userName)).toEqual(['fixed-inside', 'glass', 'long']);
    const long = timelines.find((t) => t.userName === 'long')!;
    expect(long.statusNow).toBe('fail');
    expect(long.entries().map((e) => [e.event, e.ref])).toEqual([
      ['failing', `case ${ACCOUNT}/long#1`],
      ['nudged', `case ${ACCOUNT}/long#1 step nudge-1, claim ${cases[0]!.messages[0]!.claimId}`],
      ['snoozed', `case ${ACCOUNT}/long#1 snooze at ${ago(50).toISOString()}`],
      ['help requested', 'help request trigger-9'],
    ]);
    expect(timelines.find((t) => t.userName === 'glass')!.exemptions).toEqual([
      { ...exemptions[1], source: 'config exemptions[1]' },
    ]);
  });
});
