import { scheduledJobs } from '../jobs/scheduled-jobs.js';
import type { JobName } from '../jobs/scheduler.js';
import { containerRuntime, type LambdaRuntime } from './runtime.js';

/** What the EventBridge schedules send: `{ "job": "scan" }` (scan and digest) or `{ "job": "nudges" }`. */
export interface ScheduledEvent {
  job: JobName;
}

const JOBS: readonly JobName[] = ['scan', 'nudges'];

/** The same jobs `serve` schedules with cron, one per invocation. */
export async function runScheduled(event: ScheduledEvent, runtime: LambdaRuntime): Promise<void> {
  if (!JOBS.includes(event?.job))
    throw new Error(`unknown job ${JSON.stringify(event?.job)}: expected "scan" or "nudges"`);
  const { aws, slack, config, store, now, log, renderChart } = runtime;
  const chart = renderChart ? { renderChart } : {};
  await scheduledJobs({ aws, slack, config, store, now, log: (line) => log.info(line), ...chart })[event.job]();
}

export async function handler(event: ScheduledEvent): Promise<void> {
  await runScheduled(event, await containerRuntime());
}
