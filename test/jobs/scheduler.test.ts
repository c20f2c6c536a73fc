import { describe, expect, it } from 'vitest';
import { startScheduler, type CronFactory, type JobName } from '../../src/jobs/scheduler.js';

interface FakeCron {
  factory: CronFactory;
  tick(expression: string): void;
  entries: Array<{ expression: string; timezone: string; stopped: boolean }>;
}

/** A cron whose ticks the test fires by hand. */
function fakeCron(next: Record<string, Date>): FakeCron {
  const entries: Array<{ expression: string; timezone: string; stopped: boolean; onTick: () => void }> = [];
  return {
    entries,
    factory: (expression, timezone, onTick) => {
      const entry = { expression, timezone, stopped: false, onTick };
      entries.push(entry);
      return { stop: () => void (entry.stopped = true), nextRun: () => next[expression] ?? null };
    },
    tick: (expression) => entries.find((e) => e.expression === expression && !e.stopped)?.onTick(),
  };
}

/** Jobs that run until the test releases them, recording how many run at once. */
function gatedJobs() {
  const log: string[] = [];
  let active = 0;
  let maxActive = 0;
  const gates: Array<() => void> = [];
  const job = (name: JobName) => async () => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    log.push(`start ${name}`);
    await new Promise<void>((release) => gates.push(release));
    log.push(`end ${name}`);
    active -= 1;
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    jobs: { scan: job('scan'), nudges: job('nudges') },
    log,
    maxActive: () => maxActive,
    async release() {
      await settle();
      gates.shift()?.();
      await settle();
    },
  };
}

const SCHEDULE = { scan: '0 8 * * 1-5', nudges: '0 * * * *', timezone: 'Europe/Berlin' };
const NEXT = { '0 8 * * 1-5': new Date('2026-11-24T07:00:00Z'), '0 * * * *': new Date('2026-11-23T13:00:00Z') };

describe('startScheduler', () => {
  it('schedules both jobs in the configured zone and logs the next run times', async () => {
    const cron = fakeCron(NEXT);
    const lines: string[] = [];
    const s = startScheduler({
      schedule: SCHEDULE,
      jobs: { scan: async () => {}, nudges: async () => {} },
      log: (l) => lines.push(l),
      cron: cron.factory,
    });
    expect(cron.entries.map((e) => [e.expression, e.timezone])).toEqual([
      ['0 8 * * 1-5', 'Europe/Berlin'],
      ['0 * * * *', 'Europe/Berlin'],
    ]);
    expect(s.nextRuns()).toEqual({ scan: NEXT['0 8 * * 1-5'], nudges: NEXT['0 * * * *'] });
    expect(lines.at(-1)).toBe(
      'next runs (Europe/Berlin): scan and digest at 2026-11-24T07:00:00.000Z, nudge pass at 2026-11-23T13:00:00.000Z',
    );
    await s.trigger('nudges');
    expect(lines.slice(-3)).toEqual([
      'nudge pass started',
      expect.stringMatching(/^nudge pass finished in \d+\.\d s$/),
      lines.at(-1),
    ]);
    expect(lines.at(-1)).toMatch(/^next runs/);
    await s.stop();
    expect(cron.entries.every((e) => e.stopped)).toBe(true);
  });

  it('never overlaps runs: a tick during a run waits for it, a second tick of the same job is skipped', async () => {
    const cron = fakeCron(NEXT);
    const jobs = gatedJobs();
    const lines: string[] = [];
    const s = startScheduler({ schedule: SCHEDULE, jobs: jobs.jobs, log: (l) => lines.push(l), cron: cron.factory });
    cron.tick('0 * * * *');
    cron.tick('0 * * * *');
    cron.tick('0 * * * *');
    await jobs.release();
    await jobs.release();
    await jobs.release();
    expect(jobs.log).toEqual(['start nudges', 'end nudges', 'start nudges', 'end nudges']);
    expect(jobs.maxActive()).toBe(1);
    expect(lines).toContainEqual(
      expect.stringMatching(/^nudge pass waits: the nudge pass started at .* is still going$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^nudge pass skipped: the nudge pass started at .* is still going and a nudge pass already waits$/,
      ),
    );
    await s.stop();
  });

  it('runs a waiting scan after a nudge pass, and drops a nudge pass that waited for a scan', async () => {
    const cron = fakeCron(NEXT);
    const jobs = gatedJobs();
    const lines: string[] = [];
    const s = startScheduler({ schedule: SCHEDULE, jobs: jobs.jobs, log: (l) => lines.push(l), cron: cron.factory });
    cron.tick('0 * * * *');
    cron.tick('0 8 * * 1-5');
    await jobs.release();
    expect(jobs.log).toEqual(['start nudges', 'end nudges', 'start scan']);
    cron.tick('0 * * * *');
    await jobs.release();
    expect(jobs.log).toEqual(['start nudges', 'end nudges', 'start scan', 'end scan']);
    expect(lines).toContain('the waiting nudge pass is dropped: the scan just ran the same pass');
    expect(jobs.maxActive()).toBe(1);
    await s.stop();
  });

  it('logs a failed run and keeps going', async () => {
    const cron = fakeCron(NEXT);
    const lines: string[] = [];
    let calls = 0;
    const s = startScheduler({
      schedule: SCHEDULE,
      jobs: {
        scan: async () => {
          calls += 1;
          if (calls === 1) throw new Error('AWS said no');
        },
        nudges: async () => {},
      },
      log: (l) => lines.push(l),
      cron: cron.factory,
    });
    await s.trigger('scan');
    await s.trigger('scan');
    expect(lines).toContain('scan and digest failed: AWS said no');
    expect(calls).toBe(2);
    await s.stop();
  });

  it('stop() waits for the run in progress and starts nothing after it', async () => {
    const cron = fakeCron(NEXT);
    const jobs = gatedJobs();
    const s = startScheduler({ schedule: SCHEDULE, jobs: jobs.jobs, log: () => {}, cron: cron.factory });
    cron.tick('0 8 * * 1-5');
    cron.tick('0 * * * *');
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(stopped).toBe(false);
    await jobs.release();
    await stopping;
    expect(jobs.log).toEqual(['start scan', 'end scan']);
  });

  it('runs on node-cron for real', async () => {
    const lines: string[] = [];
    const ran: string[] = [];
    const s = startScheduler({
      schedule: { scan: '0 0 1 1 *', nudges: '* * * * * *', timezone: 'UTC' },
      jobs: { scan: async () => void ran.push('scan'), nudges: async () => void ran.push('nudges') },
      log: (l) => lines.push(l),
    });
    const next = s.nextRuns();
    expect(next.nudges!.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(next.nudges!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(next.scan!.getUTCMonth()).toBe(0);
    await new Promise((r) => setTimeout(r, 2300));
    await s.stop();
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ran)).toEqual(new Set(['nudges']));
  });
});
