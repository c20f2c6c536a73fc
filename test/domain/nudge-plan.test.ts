import { describe, expect, it } from 'vitest';
import { describeLocal } from '../../src/domain/working-hours.js';
import type { NudgeCase } from '../../src/domain/ledger.js';
import { gapAfterNudge, planNudges, type NudgePlan, type NudgePlanInput } from '../../src/domain/nudge-plan.js';
import {
  DAY,
  failingUser,
  graceUser,
  HOUR,
  mapped,
  MONDAY_10,
  openCase,
  passingUser,
  scanOf,
  sent,
  SETTINGS,
} from './nudge-fixtures.js';

const ANN = mapped([['ann', 'UANN0000001']]);
const steps = (plan: NudgePlan) => plan.due.map((a) => `${a.type}:${a.step}`);

function plan(over: Partial<NudgePlanInput> & { cases: readonly NudgeCase[] }): NudgePlan {
  return planNudges({
    now: MONDAY_10,
    settings: SETTINGS,
    scan: scanOf([failingUser('ann')]),
    identities: ANN,
    escalationChannel: 'C0SECURITY1',
    ...over,
  });
}

/**
 * Runs the planner every hour from `from` to `to` as a bot would, "sending" whatever is due, and
 * returns when each nudge went out.
 */
function simulate(
  c: NudgeCase,
  from: Date,
  to: Date,
  over: Partial<NudgePlanInput> = {},
): Array<{ step: string; at: Date; type: string }> {
  const log: Array<{ step: string; at: Date; type: string }> = [];
  for (let t = from.getTime(); t <= to.getTime(); t += HOUR) {
    const now = new Date(t);
    for (const a of plan({ cases: [c], now, ...over }).due) {
      c.messages.push(sent(a.step, now, a.type === 'escalation' ? { recipient: 'C0SECURITY1' } : {}));
      log.push({ step: a.step, at: now, type: a.type });
    }
  }
  return log;
}

describe('planNudges: cadence', () => {
  it('turns cadenceDays [2, 5, 10] into gaps of 2, 3 and 5 days, then repeatEveryDays', () => {
    expect([1, 2, 3, 4, 5].map((n) => gapAfterNudge(n, SETTINGS))).toEqual([2, 3, 5, 7, 7]);
    expect(gapAfterNudge(1, { cadenceDays: [], repeatEveryDays: 3 })).toBe(3);
  });

  it('nudges at once, then on days 2, 5 and 10 and weekly, each moved off the weekend', () => {
    const log = simulate(openCase('ann'), MONDAY_10, new Date(MONDAY_10.getTime() + 30 * DAY), {
      escalationChannel: undefined,
    });
    expect(log.map((l) => `${l.step} ${l.at.toISOString().slice(0, 16)} ${describeLocal(l.at, 'UTC')}`)).toEqual([
      'nudge-1 2026-11-23T10:00 Mon 10:00',
      'nudge-2 2026-11-25T10:00 Wed 10:00',
      // Day 5 is a Saturday: Monday 09:00 instead...
      'nudge-3 2026-11-30T09:00 Mon 09:00',
      // ...and the next gap (5 days) counts from then, landing on Saturday again.
      'nudge-4 2026-12-07T09:00 Mon 09:00',
      'nudge-5 2026-12-14T09:00 Mon 09:00',
      'nudge-6 2026-12-21T09:00 Mon 09:00',
    ]);
  });

  it('sends the first nudge as `first` and later ones as numbered reminders', () => {
    const c = openCase('ann', {
      messages: [sent('nudge-1', MONDAY_10), sent('nudge-2', new Date(MONDAY_10.getTime() + 2 * DAY))],
    });
    const p = plan({ cases: [c], now: new Date(MONDAY_10.getTime() + 8 * DAY) });
    expect(p.due).toEqual([
      expect.objectContaining({ type: 'nudge', step: 'nudge-3', kind: 'reminder', reminderNumber: 2 }),
    ]);
    expect(plan({ cases: [openCase('ann')] }).due).toEqual([
      expect.objectContaining({ step: 'nudge-1', kind: 'first' }),
    ]);
  });

  it('never plans a step twice: nothing is due right after a nudge, and the next one waits with its time', () => {
    const c = openCase('ann', { messages: [sent('nudge-1', MONDAY_10)] });
    const p = plan({ cases: [c], now: new Date(MONDAY_10.getTime() + HOUR) });
    expect(p.due).toEqual([]);
    expect(p.waiting).toEqual([
      expect.objectContaining({
        step: 'nudge-2',
        dueAt: new Date(MONDAY_10.getTime() + 2 * DAY),
        sendAt: new Date(MONDAY_10.getTime() + 2 * DAY),
      }),
    ]);
  });

  it('leaves a user alone while one of their messages is claimed (being sent, or interrupted)', () => {
    const c = openCase('ann', {
      messages: [sent('nudge-1', MONDAY_10, { state: 'claimed', sentAt: undefined, ts: undefined })],
    });
    expect(plan({ cases: [c], now: new Date(MONDAY_10.getTime() + 9 * DAY) }).due).toEqual([]);
  });

  it('plans a step again when Slack refused it, and moves on after an abandoned one', () => {
    const failed = openCase('ann', {
      messages: [sent('nudge-1', MONDAY_10, { state: 'failed', sentAt: undefined, error: 'messages_tab_disabled' })],
    });
    expect(steps(plan({ cases: [failed] }))).toEqual(['nudge:nudge-1']);
    const abandoned = openCase('ann', {
      messages: [sent('nudge-1', MONDAY_10, { state: 'abandoned', sentAt: undefined })],
    });
    expect(steps(plan({ cases: [abandoned], now: new Date(MONDAY_10.getTime() + 2 * DAY) }))).toEqual([
      'nudge:nudge-2',
    ]);
  });

  it('does not nudge people who are not mapped to Slack, or accounts that could not be scanned', () => {
    expect(plan({ cases: [openCase('ann')], identities: new Map() }).due).toEqual([]);
    expect(
      plan({
        cases: [openCase('ann')],
        scan: scanOf([failingUser('ann')], { error: { code: 'AccessDenied', message: 'no' } }),
      }).due,
    ).toEqual([]);
  });
});

describe('planNudges: grace', () => {
  it('sends one friendly grace nudge, then nothing until the grace period is over', () => {
    const c = openCase('ann', { openedStatus: 'grace' });
    const inGrace = scanOf([graceUser('ann', new Date(MONDAY_10.getTime() + 5 * DAY))]);
    const log = simulate(c, MONDAY_10, new Date(MONDAY_10.getTime() + 4 * DAY), { scan: inGrace });
    expect(log.map((l) => l.step)).toEqual(['grace']);
    expect(plan({ cases: [c], scan: inGrace }).due).toEqual([]);
    // Grace over: the real nudges start, with `first`.
    const after = plan({ cases: [c], now: new Date(MONDAY_10.getTime() + 7 * DAY) });
    expect(after.due).toEqual([expect.objectContaining({ step: 'nudge-1', kind: 'first' })]);
  });
});

describe("planNudges: working hours in the person's own time zone", () => {
  it(
    'holds an overdue reminder (the bot was down since Wednesday) ' +
      'until the next working hour, not the hour the pass runs',
    () => {
      const c = openCase('ann', { messages: [sent('nudge-1', MONDAY_10)] });
      const saturday = new Date('2026-11-28T12:00:00Z');
      const p = plan({ cases: [c], now: saturday });
      expect(p.due).toEqual([]);
      expect(p.waiting[0]).toMatchObject({
        step: 'nudge-2',
        dueAt: new Date('2026-11-25T10:00:00Z'),
        sendAt: new Date('2026-11-30T09:00:00Z'),
      });
    },
  );

  it('waits for 09:00 in Los Angeles when it is 02:00 there', () => {
    const p = plan({ cases: [openCase('ann')], identities: mapped([['ann', 'UANN0000001', 'America/Los_Angeles']]) });
    expect(p.due).toEqual([]);
    expect(p.waiting[0]).toMatchObject({
      step: 'nudge-1',
      timeZone: 'America/Los_Angeles',
      sendAt: new Date('2026-11-23T17:00:00Z'),
    });
  });

  it('waits for the next morning in Auckland when it is already Monday 23:00 there', () => {
    // 10:00 UTC Monday is 23:00 Monday in Auckland.
    const p = plan({ cases: [openCase('ann')], identities: mapped([['ann', 'UANN0000001', 'Pacific/Auckland']]) });
    expect(p.waiting[0]!.sendAt).toEqual(new Date('2026-11-23T20:00:00Z'));
    expect(describeLocal(p.waiting[0]!.sendAt, 'Pacific/Auckland')).toBe('Tue 09:00');
  });

  it('does not nudge on a weekend', () => {
    const saturday = new Date('2026-11-28T12:00:00Z');
    const p = plan({
      cases: [openCase('ann', { openedAt: saturday })],
      now: saturday,
      identities: mapped([['ann', 'UANN0000001', 'Europe/Berlin']]),
    });
    expect(p.due).toEqual([]);
    expect(describeLocal(p.waiting[0]!.sendAt, 'Europe/Berlin')).toBe('Mon 09:00');
  });

  it('falls back to the default zone when Slack has none (or an unknown one)', () => {
    const settings = { ...SETTINGS, defaultTimeZone: 'Asia/Tokyo' };
    // 10:00 UTC is 19:00 in Tokyo.
    const p = plan({ cases: [openCase('ann')], settings, identities: mapped([['ann', 'UANN0000001', 'Not/AZone']]) });
    expect(p.waiting[0]).toMatchObject({ timeZone: 'Asia/Tokyo', sendAt: new Date('2026-11-24T00:00:00Z') });
  });
});

describe('planNudges: snooze', () => {
  it('moves the next nudge to the end of the snooze', () => {
    const c = openCase('ann', {
      messages: [sent('nudge-1', MONDAY_10)],
      snoozedUntil: new Date(MONDAY_10.getTime() + 3 * DAY + 2 * HOUR),
    });
    expect(plan({ cases: [c], now: new Date(MONDAY_10.getTime() + 2 * DAY) }).due).toEqual([]);
    expect(plan({ cases: [c], now: new Date(MONDAY_10.getTime() + 3 * DAY + HOUR) }).waiting[0]!.dueAt).toEqual(
      c.snoozedUntil,
    );
    expect(steps(plan({ cases: [c], now: new Date(MONDAY_10.getTime() + 3 * DAY + 2 * HOUR) }))).toEqual([
      'nudge:nudge-2',
    ]);
  });

  it('changes nothing when it ends before the next nudge is due anyway', () => {
    const c = openCase('ann', {
      messages: [sent('nudge-1', MONDAY_10)],
      snoozedUntil: new Date(MONDAY_10.getTime() + DAY),
    });
    expect(plan({ cases: [c], now: new Date(MONDAY_10.getTime() + DAY + HOUR) }).due).toEqual([]);
    expect(steps(plan({ cases: [c], now: new Date(MONDAY_10.getTime() + 2 * DAY) }))).toEqual(['nudge:nudge-2']);
  });
});

describe('planNudges: escalation', () => {
  it('escalates once, when the reminder after the third unanswered nudge is due', () => {
    const log = simulate(openCase('ann'), MONDAY_10, new Date(MONDAY_10.getTime() + 30 * DAY));
    const escalations = log.filter((l) => l.type === 'escalation');
    expect(escalations).toHaveLength(1);
    // Nudges on 11-23, 11-25 and 11-30; the fourth and the escalation on 12-07.
    expect(escalations[0]!.at.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(log.find((l) => l.step === 'nudge-4')!.at).toEqual(escalations[0]!.at);
  });

  it('says who, how many nudges and since when, and goes to the escalation channel', () => {
    const c = openCase('ann', {
      messages: ['nudge-1', 'nudge-2', 'nudge-3'].map((s, i) =>
        sent(s, new Date(MONDAY_10.getTime() + [0, 2, 5][i]! * DAY)),
      ),
    });
    const p = plan({ cases: [c], now: new Date(MONDAY_10.getTime() + 10 * DAY) });
    expect(p.due.find((a) => a.type === 'escalation')).toMatchObject({
      channel: 'C0SECURITY1',
      slackUserId: 'UANN0000001',
      nudgesSent: 3,
      firstNudgedAt: MONDAY_10,
    });
  });

  it('is not repeated once recorded, waits for a snooze, and needs a channel', () => {
    const three = ['nudge-1', 'nudge-2', 'nudge-3'].map((s, i) =>
      sent(s, new Date(MONDAY_10.getTime() + [0, 2, 5][i]! * DAY)),
    );
    const later = new Date(MONDAY_10.getTime() + 21 * DAY);
    expect(
      steps(plan({ cases: [openCase('ann', { messages: [...three, sent('escalation', MONDAY_10)] })], now: later })),
    ).not.toContain('escalation:escalation');
    expect(
      steps(
        plan({
          cases: [openCase('ann', { messages: three, snoozedUntil: new Date(later.getTime() + DAY) })],
          now: later,
        }),
      ),
    ).toEqual([]);
    expect(
      steps(plan({ cases: [openCase('ann', { messages: three })], now: later, escalationChannel: undefined })),
    ).toEqual(['nudge:nudge-4']);
  });

  it('counts only nudges that reached the person', () => {
    const c = openCase('ann', {
      messages: [
        sent('nudge-1', MONDAY_10),
        sent('nudge-2', MONDAY_10),
        sent('nudge-3', MONDAY_10, { state: 'abandoned' }),
      ],
    });
    expect(steps(plan({ cases: [c], now: new Date(MONDAY_10.getTime() + 21 * DAY) }))).toEqual(['nudge:nudge-4']);
  });
});

describe('planNudges: resolution', () => {
  const fixedAt = new Date(MONDAY_10.getTime() + 3 * DAY);
  const resolved = (over: Partial<NudgeCase> = {}) =>
    openCase('ann', {
      messages: [
        sent('nudge-1', MONDAY_10),
        sent('nudge-2', new Date(MONDAY_10.getTime() + 2 * DAY), { ts: '222.000200' }),
      ],
      resolvedAt: fixedAt,
      resolution: 'fixed',
      ...over,
    });

  it('updates the last nudge to say done and thanks the person once', () => {
    const p = plan({ cases: [resolved()], now: fixedAt, scan: scanOf([]) });
    expect(p.due).toEqual([
      expect.objectContaining({
        type: 'resolved-update',
        step: 'resolved-update',
        channel: 'D0ANN00001',
        ts: '222.000200',
      }),
      expect.objectContaining({ type: 'thank-you', step: 'thank-you', recipient: 'UANN0000001' }),
    ]);
    const done = resolved();
    done.messages.push(sent('resolved-update', fixedAt), sent('thank-you', fixedAt));
    expect(plan({ cases: [done], now: fixedAt }).due).toEqual([]);
  });

  it("thanks in the person's working hours (last known zone), but updates the old message at once", () => {
    const night = new Date('2026-11-26T03:00:00Z');
    const p = plan({
      cases: [resolved({ resolvedAt: night })],
      now: night,
      identities: new Map(),
      timeZones: new Map([['UANN0000001', 'Europe/Berlin']]),
    });
    expect(steps(p)).toEqual(['resolved-update:resolved-update']);
    expect(p.waiting).toEqual([
      expect.objectContaining({
        step: 'thank-you',
        timeZone: 'Europe/Berlin',
        sendAt: new Date('2026-11-26T08:00:00Z'),
      }),
    ]);
  });

  it('thanks nobody who was never nudged, nor anyone whose case closed another way', () => {
    expect(plan({ cases: [resolved({ messages: [] })], now: fixedAt }).due).toEqual([]);
    for (const resolution of ['no-console', 'exempt', 'gone'] as const)
      expect(plan({ cases: [resolved({ resolution })], now: fixedAt }).due).toEqual([]);
  });

  it('only looks at the latest cycle: a relapsed user is nudged afresh, not thanked again', () => {
    const relapse = openCase('ann', { cycle: 2, openedAt: new Date(MONDAY_10.getTime() + 9 * DAY) });
    const p = plan({ cases: [resolved(), relapse], now: new Date(MONDAY_10.getTime() + 9 * DAY) });
    expect(p.due).toEqual([
      expect.objectContaining({
        type: 'nudge',
        key: { accountId: relapse.accountId, userName: 'ann', cycle: 2 },
        step: 'nudge-1',
        kind: 'first',
      }),
    ]);
  });
});

describe('planNudges: a case a live check opened', () => {
  const live = { verdict: graceUser('bob'), identity: { slackUserId: 'UBOB0000001', via: 'slack-tag' as const } };
  // The stored scan's report (08:00) predates the CloudTrail event that opened bob's case at 10:00.
  const bob = () => openCase('bob', { openedStatus: 'grace', live });

  it('goes by the live verdict and mapping while the scan predates it (bob was not in it at all)', () => {
    const p = plan({ cases: [bob()], identities: new Map() });
    expect(p.due).toMatchObject([
      {
        type: 'nudge',
        step: 'grace',
        kind: 'grace',
        recipient: 'UBOB0000001',
        verdict: { status: 'grace', principal: 'bob' },
      },
    ]);
  });

  it('goes by a scan made after the case opened: here bob passes, so nothing is due', () => {
    const newer = scanOf(
      [passingUser('bob')],
      { credentialReportGeneratedAt: new Date(MONDAY_10.getTime() + HOUR) },
      new Date(MONDAY_10.getTime() + HOUR),
    );
    expect(plan({ cases: [bob()], scan: newer, now: new Date(MONDAY_10.getTime() + HOUR) }).due).toEqual([]);
  });
});
