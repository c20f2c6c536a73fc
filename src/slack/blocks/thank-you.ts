import { ROOT_PRINCIPAL } from '../../domain/types.js';
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

export interface ThankYouInput {
  account: NudgeAccount;
  /** The IAM user whose console login now has MFA. */
  userName: string;
  slackUserId: string;
  now: Date;
}

/** The DM sent when a nudged person's console login has MFA at last. */
export function buildThankYou(input: ThankYouInput): SlackMessage {
  if (input.userName === ROOT_PRINCIPAL)
    throw new Error('buildThankYou: root findings are never sent as direct messages');
  const { account, userName, slackUserId, now } = input;
  return {
    text: truncate(
      'Thank you! MFA is now on for your AWS console login ' +
        `${plainName(userName)} in account ${accountLabelPlain(account)}.`,
      300,
    ),
    blocks: [
      section(
        `:tada: Thank you, ${mention(slackUserId)}! MFA is now on for ` +
          `${iamName(userName)} in account ${accountLabel(account)}. ` +
          'Nothing else to do. If the console still acts as if you had no MFA, sign out and back in once.',
      ),
      context([`Checked ${utcStamp(now)}`]),
    ],
  };
}
