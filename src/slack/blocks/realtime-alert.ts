import type { LiveNudgeOutcome } from '../../domain/nudge-cases.js';
import { mention, truncate } from '../mrkdwn.js';
import {
  accountLabel,
  accountLabelPlain,
  iamName,
  plainName,
  utcStamp,
  type NudgeAccount,
  type SlackMessage,
} from './format.js';
import { context, section } from './limits.js';

export interface RealtimeAlertInput {
  account: NudgeAccount;
  userName: string;
  /** The CloudTrail event that made the bot look (EnableMFADevice, DeactivateMFADevice...). */
  eventName: string;
  /** Who made the change, as CloudTrail names them. */
  actor?: string;
  ownerSlackUserId?: string;
  /** What became of the owner's DM. */
  nudge?: LiveNudgeOutcome;
  now: Date;
}

const NUDGE_NOTE: Record<LiveNudgeOutcome, string> = {
  sent: ', who has just been sent the steps to turn MFA on',
  waiting: ', who will be sent the steps to turn MFA on in their working hours',
  'not-due': ', who has already been sent the steps to turn MFA on',
  unmapped: '',
  off: ' (nudges are off, so no DM was sent)',
  failed: ': the DM with the steps could not be sent yet, and will be retried',
};

/** For the security channel: a console login that has just been left (or created) without MFA. */
export function buildRealtimeAlert(input: RealtimeAlertInput): SlackMessage {
  const { account, userName, eventName, actor, ownerSlackUserId, now } = input;
  const owner = ownerSlackUserId
    ? ` It belongs to ${mention(ownerSlackUserId)}${input.nudge ? NUDGE_NOTE[input.nudge] : ''}.`
    : ' No Slack user matches it, so nobody could be sent the steps.';
  return {
    text: truncate(
      `${plainName(userName)} in account ${accountLabelPlain(account)} ` +
        `has a console password and no MFA (after ${plainName(eventName)}).`,
      300,
    ),
    blocks: [
      section(
        `:rotating_light: ${iamName(userName)} in account ${accountLabel(account)} has ` +
          `a console password and no MFA, checked live after ${iamName(eventName)}.${owner}`,
      ),
      context([`${actor ? `Change made by ${iamName(actor)} · ` : ''}Checked ${utcStamp(now)}`]),
    ],
  };
}
