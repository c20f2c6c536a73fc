/** What a person is told when a per-person limit holds back a live check or a help request. */
import { code, truncate } from '../mrkdwn.js';
import {
  accountLabel,
  accountLabelPlain,
  plainName,
  utcStamp,
  type NudgeAccount,
  type SlackMessage,
} from './format.js';
import { context, section } from './limits.js';
import { rowLines, type UserStatusRow } from './user-status.js';

/** utcStamp shows minutes: round up, so the time given is never too early. */
function notBefore(at: Date): string {
  return utcStamp(new Date(Math.ceil(at.getTime() / 60_000) * 60_000));
}

/**
 * "I've turned on MFA, check again" pressed more often than the live-check limit allows: what was last seen
 * (the scan, or a live check since), and when to press again.
 */
export function buildRecheckLimited(
  account: NudgeAccount,
  userName: string,
  retryAt: Date,
  lastSeen: UserStatusRow | undefined,
  now: Date,
): SlackMessage {
  return {
    text: truncate(
      'Not checked again: you asked for live checks more often ' +
        `than once a minute. Try again from ${notBefore(retryAt)}.`,
      300,
    ),
    blocks: [
      section(
        `:hourglass: I didn’t check ${code(userName)} in account ${accountLabel(account)} ` +
          'with AWS again: you asked for live checks more often than once a minute. ' +
          `Press the button again from ${notBefore(retryAt)}.`,
      ),
      ...(lastSeen
        ? [section(`The last I saw${lastSeen.seenLiveAt ? '' : ' (the latest scan)'}:\n${rowLines(lastSeen, now)}`)]
        : []),
    ],
  };
}

/** "I need help" pressed again for the same login within the window: nothing new is posted. */
export function buildHelpAlreadyPassedOn(account: NudgeAccount, userName: string, askedAt: Date): SlackMessage {
  return {
    text: truncate(
      `Already passed on: the security team was told at ${utcStamp(askedAt)} that you'd ` +
        `like help with ${plainName(userName)} in account ${accountLabelPlain(account)}.`,
      300,
    ),
    blocks: [
      section(
        `:raised_hands: I already told the security team at ${utcStamp(askedAt)} that ` +
          `you’d like help with ${code(userName)} in account ${accountLabel(account)}; ` +
          `someone will reach out to you. I haven’t posted it again.`,
      ),
      context(['One request per login a day reaches the security channel.']),
    ],
  };
}
