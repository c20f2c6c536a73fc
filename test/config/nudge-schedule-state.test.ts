import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';

describe('config: nudges, schedule, state', () => {
  it('has defaults for every new key', () => {
    const c = parseConfigText('');
    expect(c.nudges).toEqual({
      enabled: false,
      cadenceDays: [2, 5, 10],
      repeatEveryDays: 7,
      workingHours: { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      escalateAfter: 3,
    });
    expect(c.schedule).toEqual({ scan: '0 8 * * 1-5', nudges: '0 * * * *', timezone: 'UTC' });
    expect(c.state).toEqual({ path: './data/mfa-bot.db', keepScans: 30 });
  });

  it('keeps the defaults of the keys not given', () => {
    const c = parseConfigText(
      'nudges: { enabled: true, workingHours: { start: "08:30" } }\nschedule: { timezone: Europe/Berlin }\n',
    );
    expect(c.nudges.workingHours).toEqual({ start: '08:30', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(c.nudges.cadenceDays).toEqual([2, 5, 10]);
    expect(c.schedule).toEqual({ scan: '0 8 * * 1-5', nudges: '0 * * * *', timezone: 'Europe/Berlin' });
  });

  it('names the key of every problem', () => {
    const bad = [
      'nudges:',
      '  cadenceDays: [5, 2]',
      '  repeatEveryDays: 0',
      '  escalateAfter: 0',
      '  workingHours: { start: "18:00", end: "09:00", days: [mon, someday] }',
      'schedule: { scan: "every morning", nudges: "61 * * * *", timezone: Mars/Olympus_Mons }',
      'state: { path: "", keepScans: 1 }',
    ].join('\n');
    let message = '';
    try {
      parseConfigText(bad, 'c.yml');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('nudges.cadenceDays: must be increasing days after the first nudge, such as [2, 5, 10]');
    expect(message).toContain('nudges.repeatEveryDays: must be more than 0 days');
    expect(message).toContain('nudges.escalateAfter: must be at least 1 nudge');
    expect(message).toContain('nudges.workingHours.days.1: must list days as sun, mon, tue, wed, thu, fri, sat');
    expect(message).toContain("schedule.scan: must be a cron expression such as '0 8 * * 1-5'");
    expect(message).toContain('schedule.nudges: must be a cron expression');
    expect(message).toContain('schedule.timezone: must be an IANA time zone such as Europe/Berlin or UTC');
    expect(message).toContain('state.path: must be a file path');
    expect(message).toContain('state.keepScans: must be at least 2 (the digest compares with the previous scan)');
  });

  it('wants a working window of some length, on at least one day', () => {
    expect(() => parseConfigText('nudges: { workingHours: { start: "09:00", end: "09:00" } }')).toThrow(
      'nudges.workingHours.end: must differ from start (for all day, use 00:00 to 24:00)',
    );
    // A night shift: the window runs past midnight.
    expect(
      parseConfigText('nudges: { workingHours: { start: "22:00", end: "06:00" } }').nudges.workingHours,
    ).toMatchObject({ start: '22:00', end: '06:00' });
    expect(() => parseConfigText('nudges: { workingHours: { days: [] } }')).toThrow(
      'nudges.workingHours.days: needs at least one day',
    );
    expect(() => parseConfigText('nudges: { workingHours: { start: "9:00" } }')).toThrow(
      'nudges.workingHours.start: must be a time of day as HH:MM',
    );
    expect(parseConfigText('nudges: { workingHours: { start: "00:00", end: "24:00" } }').nudges.workingHours.end).toBe(
      '24:00',
    );
  });
});
