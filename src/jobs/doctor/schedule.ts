import { createTask, validateDetailed } from 'node-cron';
import type { Config } from '../../config/schema.js';
import { isTimeZone } from '../../domain/working-hours.js';
import { fail, ok, type DoctorCheck } from './check.js';

const RUNS_SHOWN = 3;

/** `2026-12-07 08:00` in `timeZone`. */
function localTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(date);
}

/**
 * `serve`'s cron schedules in their time zone, with the next run times. `written` holds the values as the file
 * wrote them, so a bad expression is shown even though the rest of the checks went on with the default.
 */
export function checkSchedule(config: Config, written: Partial<Record<string, unknown>> = {}): DoctorCheck[] {
  const tzWritten = written.timezone;
  if (typeof tzWritten === 'string' && !isTimeZone(tzWritten))
    return [
      fail(
        'schedule',
        'schedule.timezone',
        `"${tzWritten}" is not an IANA time zone`,
        'use a name such as Europe/Berlin, America/New_York or UTC',
      ),
    ];
  const tz = config.schedule.timezone;
  return (['scan', 'nudges'] as const).map((job) => {
    const key = `schedule.${job}`;
    const expression = typeof written[job] === 'string' ? written[job] : config.schedule[job];
    const valid = validateDetailed(expression);
    if (!valid.valid) {
      const why = valid.errors.map((e) => e.message).join('; ') || 'not a cron expression';
      return fail(
        'schedule',
        key,
        `'${expression}' is not a cron expression (${why})`,
        `write five fields, minute hour day-of-month month day-of-week, such as '0 8 * * 1-5'`,
      );
    }
    const task = createTask(expression, () => {}, { timezone: tz });
    const next = task.getNextRuns(RUNS_SHOWN).map((d) => localTime(d, tz));
    void task.destroy();
    const what = job === 'scan' ? 'scan and digest' : 'nudge pass';
    return ok('schedule', key, `'${expression}' (${what}) in ${tz}: next at ${next.join(', ')}`);
  });
}
