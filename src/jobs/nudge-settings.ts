import { minutesOfDay, WEEKDAYS, type Config } from '../config/schema.js';
import type { NudgeSettings } from '../domain/nudge-plan.js';

export function nudgeSettingsOf(config: Config): NudgeSettings {
  const wh = config.nudges.workingHours;
  return {
    cadenceDays: config.nudges.cadenceDays,
    repeatEveryDays: config.nudges.repeatEveryDays,
    escalateAfter: config.nudges.escalateAfter,
    workingHours: {
      startMinute: minutesOfDay(wh.start),
      endMinute: minutesOfDay(wh.end),
      days: new Set(wh.days.map((d) => WEEKDAYS.indexOf(d))),
    },
    defaultTimeZone: config.schedule.timezone,
  };
}

/** Escalations and help requests go to slack.securityChannel, else to the digest channel. */
export function escalationChannelOf(config: Config): string | undefined {
  return config.slack.securityChannel ?? config.slack.digestChannel;
}
