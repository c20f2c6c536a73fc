import type { Config } from '../config/schema.js';
import type { AdminCheck } from './admins.js';
import type { Deferrer } from './deferred-tasks.js';
import type { BotLog } from './logger.js';
import type { PersonLimits } from './person-limits.js';
import type { BotPorts } from './ports.js';

/** What every listener gets. */
export interface BotDeps {
  ports: BotPorts;
  admins: AdminCheck;
  config: Config;
  now: () => Date;
  log: BotLog;
  /** Per-person limits on live checks and help requests, shared by every listener of this app. */
  limits: PersonLimits;
  /** Where slow answers (live checks) go; in this process when absent. */
  deferrer?: Deferrer;
}
