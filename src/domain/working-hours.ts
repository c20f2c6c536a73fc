/** When people may be messaged: a daily window on some weekdays, in each person's own time zone. */
export interface WorkingHours {
  /** Minutes after local midnight the window opens (540 = 09:00). */
  startMinute: number;
  /** Minutes after local midnight it closes; at or before startMinute, it closes the next day (a night shift). */
  endMinute: number;
  /** Local weekdays the window opens, 0 = Sunday as in Date#getUTCDay. */
  days: ReadonlySet<number>;
}

const MINUTE_MS = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  minuteOfDay: number;
}

function localTime(at: Date, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, minuteOfDay: parts.hour! * 60 + parts.minute! };
}

/** The calendar date an instant falls on in a zone. */
export function localDate(at: Date, timeZone: string): { year: number; month: number; day: number } {
  const { year, month, day } = localTime(at, timeZone);
  return { year, month, day };
}

/** `2026-W49`: the ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday) of an instant. */
export function isoWeek(at: Date, timeZone: string): string {
  const { year, month, day } = localDate(at, timeZone);
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = new Date(date + (3 - weekday) * 86_400_000);
  const weekYear = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * 86_400_000));
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}

/**
 * Minutes the zone is ahead of UTC at an instant (Auckland in January: 780). Seconds-level offsets do not occur today.
 */
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const offsets = new Map<string, number>();

/**
 * A zone's offset from UTC at an instant. Offsets, and the instants they change, fall on quarter hours (since
 * 1972 in every zone), so one lookup per zone and quarter hour serves every case a nudge pass plans: formatting
 * dates in a zone was a fifth of a 10,000-user pass.
 */
function offsetMinutes(at: number, timeZone: string): number {
  const quarter = Math.floor(at / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const key = `${timeZone}@${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const l = localTime(new Date(quarter), timeZone);
    const asUtc = Date.UTC(l.year, l.month - 1, l.day) + l.minuteOfDay * MINUTE_MS;
    offset = Math.round((asUtc - quarter) / MINUTE_MS);
    if (offsets.size >= 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The instant a local wall-clock time happens in a zone. Two passes settle the offset across a DST change;
 * a time that does not exist (skipped by spring-forward) comes out shifted by the jump, which is what a
 * person would expect of "9:00" on such a day anyway.
 */
export function zonedInstant(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE_MS;
  const first = wall - offsetMinutes(wall, timeZone) * MINUTE_MS;
  const second = wall - offsetMinutes(first, timeZone) * MINUTE_MS;
  return new Date(second);
}

/**
 * The first moment at or after `at` inside the working window of `timeZone`: `at` itself when it is
 * already inside, otherwise the start of the next open day's window. A window that crosses midnight
 * belongs to the day it opens, so yesterday's may still be open.
 */
export function nextWorkingTime(at: Date, timeZone: string, hours: WorkingHours): Date {
  if (hours.days.size === 0) throw new Error('working hours need at least one day');
  const local = localTime(at, timeZone);
  const overnight = hours.endMinute <= hours.startMinute;
  for (let i = overnight ? -1 : 0; i <= 7; i++) {
    const civil = new Date(Date.UTC(local.year, local.month - 1, local.day + i));
    if (!hours.days.has(civil.getUTCDay())) continue;
    const [y, m, d] = [civil.getUTCFullYear(), civil.getUTCMonth() + 1, civil.getUTCDate()];
    const opens = zonedInstant(y, m, d, hours.startMinute, timeZone);
    const closes = zonedInstant(y, m, overnight ? d + 1 : d, hours.endMinute, timeZone);
    if (at < opens) return opens;
    if (at < closes) return at;
  }
  // Unreachable: a week always contains an open day whose window starts after `at`.
  throw new Error('no working window within a week');
}

/** Local weekday and time, for messages and tests: "Mon 09:00". */
export function describeLocal(at: Date, timeZone: string): string {
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' }).format(at);
  const l = localTime(at, timeZone);
  return (
    `${weekday} ${String(Math.floor(l.minuteOfDay / 60)).padStart(2, '0')}` +
    `:${String(l.minuteOfDay % 60).padStart(2, '0')}`
  );
}
