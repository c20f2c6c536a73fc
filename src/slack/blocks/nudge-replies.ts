/** Replies to the nudge buttons: the help request for the security channel, and what the presser is told. */
import type { Verdict } from '../../domain/types.js';
import { code, escapeMrkdwn, mention, truncate } from '../mrkdwn.js';
import {
  accountLabel,
  accountLabelPlain,
  plainName,
  utcStamp,
  type NudgeAccount,
  type SlackMessage,
} from './format.js';
import { context, section } from './limits.js';

export interface HelpRequestInput {
  requesterId: string;
  account: NudgeAccount;
  userName: string;
  /** The user's console-MFA verdict in the latest scan, when there is one. */
  verdict?: Verdict;
  now: Date;
}

/** For the security channel: who asked for help with which IAM user. */
export function buildHelpRequest(input: HelpRequestInput): SlackMessage {
  const { requesterId, account, userName, verdict, now } = input;
  const state = verdict
    ? `Latest scan: ${verdict.status}: ${escapeMrkdwn(truncate(verdict.reason, 300))}`
    : 'Not in the latest scan.';
  return {
    text: truncate(
      `${requesterId} needs help turning on MFA for ${plainName(userName)} in account ${accountLabelPlain(account)}.`,
      300,
    ),
    blocks: [
      section(
        `:sos: ${mention(requesterId)} needs help turning on MFA for ${code(userName)} ` +
          `in account ${accountLabel(account)}. Please reach out to them.`,
      ),
      context([state, `Asked ${utcStamp(now)} from the MFA reminder’s *I need help* button.`]),
    ],
  };
}

export function buildHelpAcknowledged(account: NudgeAccount, userName: string): SlackMessage {
  return {
    text: 'Thanks: the security team has been told, and someone will reach out to you.',
    blocks: [
      section(
        ':raised_hands: Thanks. I’ve told the security team you’d like help with ' +
          `${code(userName)} in account ${accountLabel(account)}; someone will reach out to you.`,
      ),
    ],
  };
}

export function buildHelpUnavailable(): SlackMessage {
  return {
    text: 'I could not reach the security team; please contact them directly.',
    blocks: [
      section(
        ':warning: I couldn’t pass your request on to the security team just ' +
          'now. Please contact them directly, or press the button again later.',
      ),
    ],
  };
}

export function buildSnoozed(account: NudgeAccount, userName: string, until: Date): SlackMessage {
  return {
    text: `Snoozed until ${utcStamp(until)}.`,
    blocks: [
      section(
        `:zzz: Snoozed. I won’t remind you about ${code(userName)} in ` +
          `account ${accountLabel(account)} before ${utcStamp(until)}.`,
      ),
    ],
  };
}

/** Someone pressed a button on a message about another person's login. */
export function buildNotYours(): SlackMessage {
  return {
    text: 'This button is for the person the reminder was sent to.',
    blocks: [section(':lock: This button is for the person the reminder was sent to (or an MFA bot admin).')],
  };
}
