import type { Config } from '../config/schema.js';
import type { SlackApi } from '../slack/api.js';
import { silentLog, type BotLog } from './logger.js';

export interface AdminCheck {
  isAdmin(slackUserId: string): Promise<boolean>;
}

export interface AdminsOptions {
  /** slack.admins: user IDs. */
  admins: readonly string[];
  /** slack.adminUserGroup: everyone in it is an admin too. */
  userGroup?: string;
  /** usergroups.users.list for the group. */
  groupMembers: (groupId: string) => Promise<string[]>;
  /** How long the group's members are trusted before asking Slack again. */
  ttlMs?: number;
  now?: () => number;
  log?: BotLog;
}

const DEFAULT_TTL_MS = 5 * 60_000;
/** After a failed lookup, how long to wait before asking Slack again (the old list, if any, stays in use). */
const RETRY_AFTER_FAILURE_MS = 15_000;

/**
 * Who may ask about other people. The user group is read at most once per TTL and shared by concurrent
 * callers; when Slack cannot be asked, the last known members stay admins and nobody new becomes one.
 */
export class Admins implements AdminCheck {
  private members: Set<string> | undefined;
  private validUntil = 0;
  private loading: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly log: BotLog;

  constructor(private readonly options: AdminsOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLog;
  }

  async isAdmin(slackUserId: string): Promise<boolean> {
    if (this.options.admins.includes(slackUserId)) return true;
    const group = this.options.userGroup;
    if (!group) return false;
    if (this.now() >= this.validUntil) {
      this.loading ??= this.load(group).finally(() => {
        this.loading = undefined;
      });
      await this.loading;
    }
    return this.members?.has(slackUserId) ?? false;
  }

  private async load(group: string): Promise<void> {
    try {
      this.members = new Set(await this.options.groupMembers(group));
      this.validUntil = this.now() + (this.options.ttlMs ?? DEFAULT_TTL_MS);
    } catch (err) {
      this.log.warn(
        `cannot read the members of slack.adminUserGroup ${group} ` +
          `(${err instanceof Error ? err.message : String(err)}); ` +
          `${this.members ? 'keeping the last known list' : 'only slack.admins count as admins'}`,
      );
      this.validUntil = this.now() + RETRY_AFTER_FAILURE_MS;
    }
  }
}

/** The admins the config names (slack.admins, slack.adminUserGroup), with the group read through the Web API gate. */
export function adminsFromConfig(config: Pick<Config, 'slack'>, slack: SlackApi, log: BotLog): Admins {
  return new Admins({
    admins: config.slack.admins,
    ...(config.slack.adminUserGroup ? { userGroup: config.slack.adminUserGroup } : {}),
    groupMembers: (usergroup) => slack.userGroupMembers(usergroup),
    log,
  });
}
