import { ROOT_PRINCIPAL } from '../../domain/types.js';
import { code, escapeMrkdwn, truncate } from '../mrkdwn.js';
import {
  accountLabel,
  accountLabelPlain,
  plainName,
  utcStamp,
  type NudgeAccount,
  type SlackMessage,
} from './format.js';
import { context, section } from './limits.js';
import { rowState } from '../../domain/user-state.js';
import { nextStep, type UserStatusRow } from './user-status.js';

/** After "I've turned on MFA, check again" when the live check still finds no MFA (or cannot tell). */
export function buildStillMissing(row: UserStatusRow, now: Date): SlackMessage {
  const state = rowState(row);
  const what = `${code(row.userName)} in account ${accountLabel(row.account)}`;
  const lead =
    state === 'unknown'
      ? `:warning: I couldn’t check ${what} just now.`
      : `:x: I checked with AWS just now and ${what} still has no MFA device.`;
  const tips =
    state === 'unknown'
      ? 'Please try the button again in a few minutes.'
      : 'If you just added one, make sure it was assigned to this IAM user in this account ' +
        '(not another account or your root user), and that both codes were accepted.';
  return {
    text: truncate(
      state === 'unknown'
        ? `I couldn't check ${plainName(row.userName)} just now.`
        : `${plainName(row.userName)} in account ${accountLabelPlain(row.account)} still has no MFA.`,
      300,
    ),
    blocks: [section(`${lead}\n${nextStep(row)}`), context([tips, `Checked ${utcStamp(now)}`])],
  };
}

/** Replaces a nudge when the login it was about has no console password any more: nothing left to protect. */
export function buildConsoleLoginGone(
  account: NudgeAccount,
  userName: string,
  now: Date,
  why: 'no-console' | 'missing',
): SlackMessage {
  if (userName === ROOT_PRINCIPAL)
    throw new Error('buildConsoleLoginGone: root findings are never sent as direct messages');
  const reason = why === 'missing' ? 'the IAM user no longer exists' : 'it has no console password any more';
  return {
    text: truncate(
      `Done: ${plainName(userName)} in account ${accountLabelPlain(account)} needs no MFA: ${reason}.`,
      300,
    ),
    blocks: [
      section(
        `:white_check_mark: *Done:* ${code(userName)} in account ` +
          `${accountLabel(account)} needs no console MFA: ${escapeMrkdwn(reason)}.`,
      ),
      context([`Confirmed ${utcStamp(now)}.`]),
    ],
  };
}
