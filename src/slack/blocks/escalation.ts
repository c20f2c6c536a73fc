import { humanAge, isoDate } from '../../domain/dates.js';
import type { Verdict } from '../../domain/types.js';
import { code, escapeMrkdwn, isSlackUserId, truncate } from '../mrkdwn.js';
import {
  accountLabel,
  accountLabelPlain,
  checkLabel,
  personLabel,
  plainName,
  plural,
  relativeDays,
  type NudgeAccount,
  type SlackMessage,
} from './format.js';
import { BLOCK_IDS } from './ids.js';
import { context, section } from './limits.js';

export interface EscalationInput {
  verdict: Verdict;
  account: NudgeAccount;
  /** The person who was nudged, when the IAM user maps to one. */
  slackUserId?: string;
  nudgesSent: number;
  firstNudgedAt: Date;
  now: Date;
}

/** For the security channel: someone was nudged and still has no MFA. */
export function buildEscalation(input: EscalationInput): SlackMessage {
  const { verdict, account, slackUserId, nudgesSent, firstNudgedAt, now } = input;
  const identity = slackUserId !== undefined && isSlackUserId(slackUserId) ? { slackUserId } : undefined;
  const who = personLabel(verdict.principal, identity);
  const due =
    verdict.status === 'grace' && verdict.deadline
      ? ` MFA is due ${isoDate(verdict.deadline)} (${relativeDays(verdict.deadline, now)}).`
      : '';
  return {
    text: truncate(
      `Escalation: ${plainName(verdict.principal)} in account ` +
        `${accountLabelPlain(account)} still has no MFA after ${plural(nudgesSent, 'nudge')}.`,
      300,
    ),
    blocks: [
      section(
        [
          `:rotating_light: *Still no MFA after ${plural(nudgesSent, 'nudge')}*`,
          `${who} in account ${accountLabel(account)} was first nudged on ${isoDate(firstNudgedAt)} ` +
            `(${humanAge(firstNudgedAt, now)} ago) and has not turned MFA on.${due}`,
          `_${escapeMrkdwn(truncate(verdict.reason, 500))}_`,
        ].join('\n'),
        BLOCK_IDS.escalation,
      ),
      context([
        `${checkLabel(verdict.check)} (${code(verdict.check)}) · ` +
          `severity ${verdict.severity} · status ${verdict.status}`,
      ]),
    ],
  };
}
