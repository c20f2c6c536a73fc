import type { Config } from '../config/schema.js';
import type { AdminCheck } from './admins.js';

/**
 * Who may decide an enforcement or a root credential deletion: enforcement.approvers when the list is set,
 * otherwise the Slack admins (slack.admins and slack.adminUserGroup).
 */
export function approversFromConfig(config: Pick<Config, 'enforcement'>, admins: AdminCheck): AdminCheck {
  const named = config.enforcement.approvers;
  if (named.length === 0) return admins;
  return { isAdmin: async (slackUserId) => named.includes(slackUserId) };
}
