export const DAY_MS = 86_400_000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}

/** 2026-11-23: dates in messages are UTC calendar dates. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The last UTC day an end-exclusive instant still covers. An exemption written `expires: 2027-06-30` ends at
 * 2027-07-01T00:00Z, and people must read the date they wrote, 2027-06-30.
 */
export function lastDayBefore(end: Date): string {
  return isoDate(new Date(end.getTime() - 1));
}

/** "3 hours", "2 days": how old something is, for people. */
export function humanAge(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return hours === 1 ? '1 hour' : `${hours} hours`;
  const days = Math.round(hours / 24);
  return `${days} days`;
}
