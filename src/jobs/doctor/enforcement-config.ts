import type { Config } from '../../config/schema.js';
import { fail, ok, type DoctorCheck } from './check.js';

/**
 * enforcement.approval 'request' posts each request to the security channel (else the digest channel) for an
 * approver (enforcement.approvers, else the Slack admins) to decide: without both, no one is ever asked.
 */
export function checkEnforcementConfig(config: Config): DoctorCheck[] {
  const e = config.enforcement;
  if (!e.enabled) return [];
  const name = 'enforcement.approval';
  if (e.approval === 'auto')
    return [ok('config', name, "auto: enforced when the final notice ends, with no one's approval")];
  const { slack } = config;
  const channel = slack.securityChannel ?? slack.digestChannel;
  const who = e.approvers.length
    ? `${e.approvers.length} in enforcement.approvers`
    : slack.admins.length || slack.adminUserGroup
      ? 'the Slack admins (enforcement.approvers is empty)'
      : undefined;
  const missing = [
    channel ? '' : 'no channel for the requests (slack.securityChannel and slack.digestChannel are unset)',
    who ? '' : 'no one may approve (enforcement.approvers, slack.admins and slack.adminUserGroup are empty)',
  ].filter(Boolean);
  if (missing.length)
    return [
      fail(
        'config',
        name,
        `request: ${missing.join('; ')}, so no enforcement request is ever decided`,
        'set slack.securityChannel (or slack.digestChannel) and enforcement.approvers (or slack.admins), ' +
          'or set enforcement.approval: auto',
      ),
    ];
  return [ok('config', name, `request: posted to ${channel}, decided by ${who}`)];
}
