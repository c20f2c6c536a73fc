import { schedule as cronSchedule } from 'node-cron';

export type JobName = 'scan' | 'nudges';

/** One cron entry: calls `onTick` at each match of `expression` in `timezone`. */
export interface CronHandle {
  stop(): void;
  nextRun(): Date | null;
}

export type CronFactory = (expression: string, timezone: string, onTick: () => void) => CronHandle;

/** node-cron, as the default CronFactory. */
export const nodeCron: CronFactory = (expression, timezone, onTick) => {
  const task = cronSchedule(expression, onTick, { timezone });
  return { stop: () => void task.destroy(), nextRun: () => task.getNextRun() };
};

export interface SchedulerDeps {
  schedule: { scan: string; nudges: string; timezone: string };
  /** scan: scan, digest and nudges (runCycle); nudges: the nudge pass alone (runNudgePass). */
  jobs: Record<JobName, () => Promise<unknown>>;
  log: (line: string) => void;
  /** Tests pass a factory whose ticks they fire by hand. */
  cron?: CronFactory;
}

export interface Scheduler {
  /** Stops the timers and waits for a run in progress to finish (a queued one does not start). */
  stop(): Promise<void>;
  nextRuns(): Record<JobName, Date | null>;
  /** What a cron tick does; also for "run now" buttons and tests. Resolves when that run (or its wait) is over. */
  trigger(job: JobName): Promise<void>;
}

const LABEL: Record<JobName, string> = { scan: 'scan and digest', nudges: 'nudge pass' };

/**
 * Runs the scan (with its digest and nudges) and the nudge pass on their cron schedules. Runs never
 * overlap, not even a scan with a nudge pass, as both write the same state and talk to the same Slack:
 * a tick that comes while a run is going waits for it (one waiting run per job; a second tick is skipped),
 * and a waiting nudge pass is dropped when a scan runs first, since the scan ends with the same pass.
 * Every wait and skip is logged, and so is the next run time, at start and after every run.
 */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  const cron = deps.cron ?? nodeCron;
  const log = deps.log;
  let running: { job: JobName; startedAt: Date; done: Promise<void> } | undefined;
  const waiting = new Set<JobName>();
  let stopped = false;

  const nextRuns = (): Record<JobName, Date | null> => ({
    scan: handles.scan.nextRun(),
    nudges: handles.nudges.nextRun(),
  });
  const logNext = () => {
    const next = nextRuns();
    const when = (d: Date | null) => (d ? d.toISOString() : 'never');
    log(
      `next runs (${deps.schedule.timezone}): scan and digest ` +
        `at ${when(next.scan)}, nudge pass at ${when(next.nudges)}`,
    );
  };

  async function runNow(job: JobName): Promise<void> {
    const startedAt = new Date();
    let finish!: () => void;
    running = { job, startedAt, done: new Promise<void>((r) => (finish = r)) };
    log(`${LABEL[job]} started`);
    try {
      await deps.jobs[job]();
      log(`${LABEL[job]} finished in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s`);
    } catch (err) {
      log(`${LABEL[job]} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      running = undefined;
      finish();
    }
    if (job === 'scan' && waiting.delete('nudges'))
      log('the waiting nudge pass is dropped: the scan just ran the same pass');
    const next = (['scan', 'nudges'] as const).find((j) => waiting.has(j));
    if (next && !stopped) {
      waiting.delete(next);
      await runNow(next);
    } else if (!stopped) logNext();
  }

  async function trigger(job: JobName): Promise<void> {
    if (stopped) return;
    if (running) {
      if (waiting.has(job)) {
        log(
          `${LABEL[job]} skipped: the ${LABEL[running.job]} started at ` +
            `${running.startedAt.toISOString()} is still going and a ${LABEL[job]} already waits`,
        );
        return;
      }
      waiting.add(job);
      log(
        `${LABEL[job]} waits: the ${LABEL[running.job]} started at ${running.startedAt.toISOString()} is still going`,
      );
      // The queued run starts when the current one ends; this call returns when the whole chain has.
      while (running) await running.done;
      return;
    }
    await runNow(job);
  }

  const handles: Record<JobName, CronHandle> = {
    scan: cron(deps.schedule.scan, deps.schedule.timezone, () => void trigger('scan')),
    nudges: cron(deps.schedule.nudges, deps.schedule.timezone, () => void trigger('nudges')),
  };
  log(`scheduler started: scan and digest on "${deps.schedule.scan}", nudge pass on "${deps.schedule.nudges}"`);
  logNext();

  return {
    nextRuns,
    trigger,
    async stop() {
      stopped = true;
      waiting.clear();
      handles.scan.stop();
      handles.nudges.stop();
      while (running) await running.done;
    },
  };
}
