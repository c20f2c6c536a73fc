import type { AwsOptions } from '../../aws/clients.js';
import { checkAws, type AccountSample } from './aws.js';
import type { DoctorCheck } from './check.js';
import { checkConfig, type ConfigLocation } from './config.js';
import { checkEnforcementConfig } from './enforcement-config.js';
import { checkSchedule } from './schedule.js';
import { checkSlack } from './slack.js';
import { checkState } from './state.js';

export type { DoctorCheck } from './check.js';
export type { AccountSample } from './aws.js';

export interface DoctorOptions {
  config: ConfigLocation;
  cwd: string;
  env: NodeJS.ProcessEnv;
  aws: AwsOptions;
  accounts?: AccountSample;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  /** No check failed (skipped ones do not count). */
  passed: boolean;
}

/**
 * Checks a setup before its first real run: the config, AWS, Slack, the state and the schedules, one line
 * each. Only reads: nothing is sent, posted, created or kept.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const config = checkConfig(options.config, options.cwd);
  const [aws, slack, state] = await Promise.all([
    checkAws({ config: config.config, aws: options.aws, ...(options.accounts ? { accounts: options.accounts } : {}) }),
    checkSlack(config.config, options.env),
    checkState(config.config, options.aws),
  ]);
  const checks = [
    config.line,
    ...checkEnforcementConfig(config.config),
    ...aws,
    ...slack,
    ...state,
    ...checkSchedule(config.config, config.schedule),
  ];
  return { checks, passed: checks.every((c) => c.status !== 'fail') };
}
