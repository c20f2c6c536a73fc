import type { Config } from '../config/schema.js';
import type { RootDeletionOutcome } from '../domain/root-access.js';
import type { OrgRootAccess } from '../domain/types.js';
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
  /** Deletes a member root's credentials as an approver decided; absent where mfa-bot has no management clients. */
  rootCredentials?: (accountId: string, approver: string) => Promise<RootDeletionOutcome>;
  /** The organization's centralized root access, read now (for `/mfa-check root`); with rootCredentials. */
  rootAccess?: () => Promise<OrgRootAccess>;
}
