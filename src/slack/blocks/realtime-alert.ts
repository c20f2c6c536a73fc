import { mention, truncate } from '../mrkdwn.js';
import { accountLabel, accountLabelPlain, iamName, plainName, utcStamp, type NudgeAccount, type SlackMessage } from './format.js';
import { context, section } from './limits.js';

export interface RealtimeAlertInput {
  account: NudgeAccount;
  userName: string;
  /** The CloudTrail event that made the bot look (EnableMFADevice, DeactivateMFADevice...). */
  eventName: string;
  /** Who made the change, as CloudTrail names them. */
  actor?: string;
  ownerSlackUserId?: string;
  now: Date;
}

/** For the security channel: a console login that has just been left (or created) without MFA. */
export function buildRealtimeAlert(input: RealtimeAlertInput): SlackMessage {
  const { account, userName, eventName, actor, ownerSlackUserId, now } = input;
  const owner = ownerSlackUserId ? ` It belongs to ${mention(ownerSlackUserId)}.` : ' The last scan knew no Slack owner for it.';
  return {
    text: truncate(`${plainName(userName)} in account ${accountLabelPlain(account)} has a console password and no MFA (after ${plainName(eventName)}).`, 300),
    blocks: [
      section(`:rotating_light: ${iamName(userName)} in account ${accountLabel(account)} has a console password and no MFA, checked live after ${iamName(eventName)}.${owner}`),
      context([`${actor ? `Change made by ${iamName(actor)} · ` : ''}Checked ${utcStamp(now)}`]),
    ],
  };
}
