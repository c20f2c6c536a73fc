import { describe, expect, it } from 'vitest';
import { planEnforcement, type EnforcementSettings } from '../../../src/domain/enforcement/plan.js';
import type { LedgerMessage, NudgeCase } from '../../../src/domain/ledger.js';
import type { Verdict } from '../../../src/domain/types.js';
import {
  ACCOUNT,
  DAY,
  failingUser,
  mapped,
  MONDAY_10,
  openCase,
  passingUser,
  scanOf,
  sent,
  SETTINGS,
} from '../nudge-fixtures.js';

const ON: EnforcementSettings = {
  enabled: true,
  approval: 'request',
  afterDays: 14,
  finalNoticeDays: 3,
  never: [],
  includeKeyUsers: false,
  maxPerRun: 10,
  workingHours: SETTINGS.workingHours,
  defaultTimeZone: 'UTC',
};
const SECURITY = 'C0SECURITY1';
const at = (days: number) => new Date(MONDAY_10.getTime() + days * DAY);
const step = (s: string, when: Date, over: Partial<LedgerMessage> = {}) =>
  sent(s, when, { kind: s as LedgerMessage['kind'], ...over });

function plan(
  cases: NudgeCase[],
  options: { now: Date; settings?: Partial<EnforcementSettings>; verdicts?: Verdict[]; selfArns?: string[] },
) {
  const users = cases.map((c) => c.userName);
  return planEnforcement({
    now: options.now,
    settings: { ...ON, ...options.settings },
    scan: scanOf(options.verdicts ?? users.map((u) => failingUser(u)), {}, options.now),
    cases,
    identities: mapped(users.map((u, i) => [u, `U${u.toUpperCase().padEnd(10, '0')}`.slice(0, 11) + i] as const)),
    requestChannel: SECURITY,
    selfArns: options.selfArns ?? [],
  });
}

const nudged = (user = 'ann', more: LedgerMessage[] = []) =>
  openCase(user, { messages: [step('nudge-1', MONDAY_10), ...more] });

describe('planEnforcement: the stages', () => {
  it('nothing before the first nudge, nor before afterDays; then the final notice naming the day', () => {
    expect(plan([openCase('ann')], { now: at(30) }).due).toEqual([]);
    const early = plan([nudged()], { now: at(13) });
    expect(early.due).toEqual([]);
    expect(early.waiting).toMatchObject([{ stage: 'final-notice', dueAt: at(14) }]);
    const due = plan([nudged()], { now: at(14) }).due;
    expect(due).toMatchObject([{ type: 'final-notice', step: 'final-notice', enforceOn: at(17) }]);
  });

  it('the final notice waits for the working hours of the person', () => {
    const saturday = at(19);
    const p = plan([nudged()], { now: saturday });
    expect(p.due).toEqual([]);
    expect(p.waiting).toMatchObject([{ stage: 'final-notice', dueAt: new Date('2026-12-14T09:00:00Z') }]);
  });

  it('finalNoticeDays after the notice: the request in the security channel, with the nudging so far', () => {
    const c = nudged('ann', [step('nudge-2', at(2)), step('final-notice', at(14))]);
    expect(plan([c], { now: at(16) }).due).toEqual([]);
    const due = plan([c], { now: at(17) }).due;
    expect(due).toMatchObject([
      { type: 'enforcement-request', step: 'enforcement-request', channel: SECURITY, nudgesSent: 2 },
    ]);
    expect(due[0]).toMatchObject({ firstNudgedAt: MONDAY_10 });
  });

  it('with approval auto: enforcement itself instead of the request', () => {
    const c = nudged('ann', [step('final-notice', at(14))]);
    expect(plan([c], { now: at(17), settings: { approval: 'auto' } }).due).toMatchObject([
      { type: 'enforce', step: 'enforced', by: 'auto' },
    ]);
  });

  it('0 days means no wait at either stage', () => {
    const settings = { afterDays: 0, finalNoticeDays: 0 };
    expect(plan([nudged()], { now: MONDAY_10, settings }).due).toMatchObject([{ type: 'final-notice' }]);
    const c = nudged('ann', [step('final-notice', MONDAY_10)]);
    expect(plan([c], { now: MONDAY_10, settings }).due).toMatchObject([{ type: 'enforcement-request' }]);
  });

  it('a request is made once; "7 more days" (a snooze past it) asks again when the week is over', () => {
    const asked = nudged('ann', [step('final-notice', at(14)), step('enforcement-request', at(17))]);
    expect(plan([asked], { now: at(30) }).due).toEqual([]);
    const postponed = { ...asked, snoozedUntil: at(24) };
    expect(plan([postponed], { now: at(23) }).due).toEqual([]);
    expect(plan([postponed], { now: at(24) }).due).toMatchObject([{ step: 'enforcement-request-2' }]);
  });

  it('once enforced: the DM to the person, once; a failed attach is tried again with its approver', () => {
    const enforced = nudged('ann', [step('final-notice', at(14)), step('enforced', at(17), { by: 'UAPPROVER01' })]);
    expect(plan([enforced], { now: at(17) }).due).toMatchObject([{ type: 'enforced-notice' }]);
    const told = { ...enforced, messages: [...enforced.messages, step('enforced-notice', at(17))] };
    expect(plan([told], { now: at(18) }).due).toEqual([]);
    const failed = nudged('ann', [
      step('final-notice', at(14)),
      step('enforced', at(17), { state: 'failed', by: 'UAPPROVER01' }),
    ]);
    expect(plan([failed], { now: at(18) }).due).toMatchObject([{ type: 'enforce', by: 'UAPPROVER01' }]);
  });

  it('once enforced with a request out: the request is edited to say who and when, once', () => {
    const request = step('enforcement-request', at(17), { channel: SECURITY, ts: '17.1' });
    const enforced = nudged('ann', [
      step('nudge-2', at(3)),
      step('final-notice', at(14)),
      request,
      step('enforced', at(18), { by: 'UAPPROVER01' }),
    ]);
    expect(plan([enforced], { now: at(18.5) }).due).toEqual([
      expect.objectContaining({
        type: 'request-decided',
        step: 'enforcement-decided',
        request: { channel: SECURITY, ts: '17.1' },
        by: 'UAPPROVER01',
        at: at(18),
        nudgesSent: 2,
        firstNudgedAt: MONDAY_10,
      }),
      expect.objectContaining({ type: 'enforced-notice' }),
    ]);
    const edited = {
      ...enforced,
      messages: [
        ...enforced.messages,
        step('enforcement-decided', at(18), { kind: 'enforcement-update' }),
        step('enforced-notice', at(18)),
      ],
    };
    expect(plan([edited], { now: at(19) }).due).toEqual([]);
  });

  it('a claim in flight (or interrupted) holds the case until recovery settles it', () => {
    const c = nudged('ann', [step('final-notice', at(14)), step('enforced', at(17), { state: 'claimed' })]);
    expect(plan([c], { now: at(18) }).due).toEqual([]);
  });

  it('lifted when MFA is on, with the request to edit; a request never decided is closed', () => {
    const request = step('enforcement-request', at(17), { channel: SECURITY, ts: '17.1' });
    const enforced = nudged('ann', [step('final-notice', at(14)), request, step('enforced', at(18))]);
    const fixed = { ...enforced, resolvedAt: at(19), resolution: 'fixed' as const };
    const p = plan([fixed], { now: at(19), verdicts: [passingUser('ann')] });
    expect(p.due).toEqual([
      expect.objectContaining({ type: 'lift', why: 'fixed', request: { channel: SECURITY, ts: '17.1' } }),
    ]);
    // Lifted by a live check (no Slack at hand): the next run edits the request, once.
    const liftedOnce = { ...fixed, messages: [...fixed.messages, step('lifted', at(19), { by: 'mfa-on' })] };
    expect(plan([liftedOnce], { now: at(20), verdicts: [passingUser('ann')] }).due).toMatchObject([
      { type: 'request-closed', lifted: { by: 'mfa-on', at: at(19) } },
    ]);
    // Lifted by an approver before MFA came on: the closing edit keeps who lifted it, and when.
    const byHand = { ...fixed, messages: [...fixed.messages, step('lifted', at(18.5), { by: 'UAPPROVER01' })] };
    expect(plan([byHand], { now: at(20), verdicts: [passingUser('ann')] }).due).toMatchObject([
      { type: 'request-closed', lifted: { by: 'UAPPROVER01', at: at(18.5) } },
    ]);
    const closed = { ...liftedOnce, messages: [...liftedOnce.messages, step('enforcement-closed', at(20))] };
    expect(plan([closed], { now: at(21), verdicts: [passingUser('ann')] }).due).toEqual([]);
    const undecided = { ...nudged('ann', [request]), resolvedAt: at(19), resolution: 'fixed' as const };
    expect(plan([undecided], { now: at(19), verdicts: [passingUser('ann')] }).due).toMatchObject([
      { type: 'request-closed', why: 'fixed' },
    ]);
  });

  it('lifts even with enforcement switched off since', () => {
    const enforced = nudged('ann', [step('enforced', at(18))]);
    const fixed = { ...enforced, resolvedAt: at(19), resolution: 'fixed' as const };
    expect(
      plan([fixed], { now: at(19), settings: { enabled: false }, verdicts: [passingUser('ann')] }).due,
    ).toMatchObject([{ type: 'lift' }]);
  });
});

describe('planEnforcement: guard rails', () => {
  it('off unless enabled', () => {
    expect(plan([nudged()], { now: at(30), settings: { enabled: false } })).toEqual({ due: [], held: [], waiting: [] });
  });

  it('never the principal mfa-bot runs as', () => {
    const p = plan([nudged('mfa-bot')], { now: at(30), selfArns: [failingUser('mfa-bot').arn] });
    expect(p.due).toEqual([]);
    expect(p.held).toMatchObject([{ stage: 'final-notice', reason: expect.stringMatching(/runs as/) }]);
  });

  it('never an exempt user', () => {
    const exempt = { ...failingUser('ann'), status: 'exempt' as const };
    const c = nudged('ann', [step('final-notice', at(14))]);
    expect(plan([c], { now: at(30), verdicts: [exempt] }).due).toEqual([]);
  });

  it('never enforcement.never (name or path), at the request stage too', () => {
    const c = nudged('ann', [step('final-notice', at(14))]);
    const p = plan([c], { now: at(30), settings: { never: ['ann'], approval: 'auto' } });
    expect(p.due).toEqual([]);
    expect(p.held).toMatchObject([{ stage: 'enforce', reason: expect.stringMatching(/enforcement\.never/) }]);
  });

  it('key users only with includeKeyUsers, and then the request says what breaks', () => {
    const keys = { ...failingUser('kim'), keysLastUsed: at(10) };
    const c = nudged('kim', [step('final-notice', at(14))]);
    expect(plan([c], { now: at(17), verdicts: [keys] }).held).toMatchObject([{ stage: 'enforcement-request' }]);
    const due = plan([c], { now: at(17), verdicts: [keys], settings: { includeKeyUsers: true } }).due;
    expect(due).toMatchObject([{ type: 'enforcement-request', breaks: expect.stringMatching(/access keys/) }]);
  });

  it('at most maxPerRun per run and account', () => {
    const users = ['a1', 'a2', 'a3'];
    const cases = users.map((u) => nudged(u, [step('final-notice', at(14))]));
    const p = plan(cases, { now: at(17), settings: { maxPerRun: 2, approval: 'auto' } });
    expect(p.due.filter((a) => a.type === 'enforce')).toHaveLength(2);
    expect(p.held).toMatchObject([{ stage: 'enforce', reason: expect.stringMatching(/maxPerRun \(2\)/) }]);
    expect(p.due.every((a) => a.key.accountId === ACCOUNT)).toBe(true);
  });

  it('an unmapped user gets no final notice, and says why', () => {
    const p = planEnforcement({
      now: at(30),
      settings: ON,
      scan: scanOf([failingUser('ann')], {}, at(30)),
      cases: [nudged()],
      identities: new Map(),
      selfArns: [],
    });
    expect(p.held).toMatchObject([{ stage: 'final-notice', reason: 'not mapped to a Slack user' }]);
  });
});
