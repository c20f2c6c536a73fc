import { ROOT_PRINCIPAL } from '../../domain/types.js';
import { truncate } from '../mrkdwn.js';
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

export interface ResolvedNudgeUpdateInput {
  account: NudgeAccount;
  userName: string;
  now: Date;
}

/** What an old nudge is replaced with (chat.update) once MFA is on: no steps and no buttons left. */
export function buildResolvedNudgeUpdate(input: ResolvedNudgeUpdateInput): SlackMessage {
  if (input.userName === ROOT_PRINCIPAL)
    throw new Error('buildResolvedNudgeUpdate: root findings are never sent as direct messages');
  const { account, userName, now } = input;
  return {
    text: truncate(`Done: MFA is on for ${plainName(userName)} in account ${accountLabelPlain(account)}.`, 300),
    blocks: [
      section(`:white_check_mark: *Done:* MFA is on for ${iamName(userName)} in account ${accountLabel(account)}.`),
      context([`Confirmed ${utcStamp(now)}. Thanks for taking care of it.`]),
    ],
  };
}
