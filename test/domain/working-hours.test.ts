import { describe, expect, it } from 'vitest';
import {
  describeLocal,
  isoWeek,
  nextWorkingTime,
  zonedInstant,
  type WorkingHours,
} from '../../src/domain/working-hours.js';

const WEEKDAYS_9_TO_5: WorkingHours = { startMinute: 9 * 60, endMinute: 17 * 60, days: new Set([1, 2, 3, 4, 5]) };
const at = (iso: string) => new Date(iso);

describe('nextWorkingTime', () => {
  it('keeps a time already inside the window', () => {
    // Tuesday 10:30 in Berlin (UTC+1 in winter).
    expect(nextWorkingTime(at('2026-11-24T09:30:00Z'), 'Europe/Berlin', WEEKDAYS_9_TO_5)).toEqual(
      at('2026-11-24T09:30:00Z'),
    );
  });

  it("moves an early-morning time to 09:00 the same day, in the person's own zone", () => {
    // Monday 12:00 UTC is 04:00 in Los Angeles (UTC-8): wait for 09:00 there, 17:00 UTC.
    const t = nextWorkingTime(at('2026-11-23T12:00:00Z'), 'America/Los_Angeles', WEEKDAYS_9_TO_5);
    expect(t).toEqual(at('2026-11-23T17:00:00Z'));
    expect(describeLocal(t, 'America/Los_Angeles')).toBe('Mon 09:00');
  });

  it('moves an evening time in Auckland to the next morning there, a day ahead of UTC', () => {
    // Monday 06:00 UTC is Monday 19:00 in Auckland (UTC+13 in November): next window Tuesday 09:00 NZDT = Monday 20:00
    // UTC.
    const t = nextWorkingTime(at('2026-11-23T06:00:00Z'), 'Pacific/Auckland', WEEKDAYS_9_TO_5);
    expect(t).toEqual(at('2026-11-23T20:00:00Z'));
    expect(describeLocal(t, 'Pacific/Auckland')).toBe('Tue 09:00');
  });

  it('skips the weekend: Friday evening becomes Monday 09:00', () => {
    // Friday 2026-11-27 18:00 in Berlin.
    const t = nextWorkingTime(at('2026-11-27T17:00:00Z'), 'Europe/Berlin', WEEKDAYS_9_TO_5);
    expect(t).toEqual(at('2026-11-30T08:00:00Z'));
    expect(describeLocal(t, 'Europe/Berlin')).toBe('Mon 09:00');
  });

  it('counts the weekend in local time: Saturday in Auckland is still Friday in UTC', () => {
    // 2026-11-27 (Friday) 22:00 UTC is Saturday 11:00 in Auckland: no nudge there until Monday.
    const t = nextWorkingTime(at('2026-11-27T22:00:00Z'), 'Pacific/Auckland', WEEKDAYS_9_TO_5);
    expect(describeLocal(t, 'Pacific/Auckland')).toBe('Mon 09:00');
    expect(t).toEqual(at('2026-11-29T20:00:00Z'));
  });

  it('treats the end of the window as closed', () => {
    expect(nextWorkingTime(at('2026-11-24T16:00:00Z'), 'Europe/Berlin', WEEKDAYS_9_TO_5)).toEqual(
      at('2026-11-25T08:00:00Z'),
    );
  });

  it('follows daylight saving time: 09:00 in Los Angeles is 17:00 UTC in winter and 16:00 UTC in summer', () => {
    expect(zonedInstant(2026, 3, 6, 540, 'America/Los_Angeles')).toEqual(at('2026-03-06T17:00:00Z'));
    // DST starts on Sunday 2026-03-08; on Monday the window opens an hour earlier in UTC.
    expect(nextWorkingTime(at('2026-03-07T12:00:00Z'), 'America/Los_Angeles', WEEKDAYS_9_TO_5)).toEqual(
      at('2026-03-09T16:00:00Z'),
    );
  });

  it('supports other windows and days, such as a Sunday-to-Thursday week', () => {
    const gulf: WorkingHours = { startMinute: 8 * 60, endMinute: 16 * 60, days: new Set([0, 1, 2, 3, 4]) };
    // Friday 10:00 in Dubai (UTC+4) is off; Sunday 08:00 there is 04:00 UTC.
    expect(nextWorkingTime(at('2026-11-27T06:00:00Z'), 'Asia/Dubai', gulf)).toEqual(at('2026-11-29T04:00:00Z'));
  });

  it('supports a night shift across midnight: the window belongs to the evening it opens', () => {
    // 22:00 to 06:00, opening Monday to Friday evenings, in UTC (2026-11-23 is a Monday).
    const nights: WorkingHours = { startMinute: 22 * 60, endMinute: 6 * 60, days: new Set([1, 2, 3, 4, 5]) };
    const next = (iso: string) => nextWorkingTime(at(iso), 'UTC', nights).toISOString();
    expect(next('2026-11-24T23:30:00Z')).toBe('2026-11-24T23:30:00.000Z'); // Tuesday night
    expect(next('2026-11-25T03:00:00Z')).toBe('2026-11-25T03:00:00.000Z'); // early Wednesday: still Tuesday's shift
    expect(next('2026-11-25T06:00:00Z')).toBe('2026-11-25T22:00:00.000Z'); // the shift ended: Wednesday evening
    expect(next('2026-11-28T03:00:00Z')).toBe('2026-11-28T03:00:00.000Z'); // early Saturday: Friday's shift
    // early Sunday: no Saturday shift, so Monday's
    expect(next('2026-11-29T03:00:00Z')).toBe('2026-11-30T22:00:00.000Z');
    expect(next('2026-11-23T21:59:00Z')).toBe('2026-11-23T22:00:00.000Z');
  });
});

describe('isoWeek', () => {
  it('numbers weeks from Monday, the first holding the year’s first Thursday, in the given zone', () => {
    expect(isoWeek(new Date('2026-11-30T00:00:00Z'), 'UTC')).toBe('2026-W49');
    expect(isoWeek(new Date('2026-12-06T23:59:00Z'), 'UTC')).toBe('2026-W49');
    expect(isoWeek(new Date('2026-12-07T00:00:00Z'), 'UTC')).toBe('2026-W50');
    // Monday 08:00 in Tokyo is still Sunday in UTC: the week is Tokyo's.
    expect(isoWeek(new Date('2026-12-06T23:00:00Z'), 'Asia/Tokyo')).toBe('2026-W50');
    // 2027-01-01 is a Friday: it belongs to the last week of 2026 (53 weeks, as 2026 starts on a Thursday).
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    // 2024-12-30 is a Monday in the week of 2025-01-02 (a Thursday).
    expect(isoWeek(new Date('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
  });
});

describe('offsets off the whole hour', () => {
  it('places a wall-clock time in zones a quarter or half hour off UTC, across a half-hour DST change', () => {
    // Nepal: +05:45 all year.
    expect(zonedInstant(2026, 12, 2, 9 * 60, 'Asia/Kathmandu').toISOString()).toBe('2026-12-02T03:15:00.000Z');
    // Lord Howe Island: +11:00 in summer, +10:30 from 02:00 local on Sunday 2026-04-05.
    expect(zonedInstant(2026, 4, 3, 9 * 60, 'Australia/Lord_Howe').toISOString()).toBe('2026-04-02T22:00:00.000Z');
    expect(zonedInstant(2026, 4, 6, 9 * 60, 'Australia/Lord_Howe').toISOString()).toBe('2026-04-05T22:30:00.000Z');
    // The same instants again, now answered from what the first calls learned.
    expect(zonedInstant(2026, 4, 6, 9 * 60, 'Australia/Lord_Howe').toISOString()).toBe('2026-04-05T22:30:00.000Z');
  });
});
