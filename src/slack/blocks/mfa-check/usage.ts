import { unescapeMrkdwn, code, truncate } from '../../mrkdwn.js';
import type { SlackMessage } from '../format.js';
import { context, section } from '../limits.js';

const USAGE_LINES = [
  '*/mfa-check*: your own AWS console logins, and what to do about each',
  '*/mfa-check --fresh*: the same, checked live with AWS instead of the latest scan',
  '*/mfa-check help*: this text',
  '_For admins:_',
  '*/mfa-check @someone* [--fresh]: that person’s logins',
  '*/mfa-check user NAME* [--fresh]: an IAM user by name, in every scanned account',
  '*/mfa-check account ACCOUNT_ID*: one account (12 digits)',
  '*/mfa-check root*: the root user of every account',
  '*/mfa-check summary*: every account at a glance',
  '*/mfa-check scan*: scan every account now, post the digest and send the nudges that are due',
];

/** Usage; with the text that was not understood (as the user typed it, escaped) and why. */
export function buildUsage(problem?: { text: string; reason: string }): SlackMessage {
  const intro = problem
    ? `:thinking_face: I didn’t understand ${code(truncate(unescapeMrkdwn(problem.text), 100))}: ${problem.reason}.`
    : ':information_source: *How to use /mfa-check*';
  return {
    text: problem ? `I didn’t understand that: ${problem.reason}. Try /mfa-check help.` : 'How to use /mfa-check',
    blocks: [section(intro), section(USAGE_LINES.join('\n'))],
  };
}

/** The same words whoever and whatever was asked about, so a refusal reveals nothing about other people. */
export function buildRefusal(): SlackMessage {
  const text =
    ':lock: Only MFA bot admins can look up other people, IAM users, ' +
    'accounts, the root user or the summary, or start a scan. ' +
    '*/mfa-check* on its own shows your own logins.';
  return { text: 'Only MFA bot admins can look that up. /mfa-check shows your own logins.', blocks: [section(text)] };
}

export function buildNoScanYet(): SlackMessage {
  return {
    text: 'The first scan is still running; try again in a minute.',
    blocks: [
      section(':hourglass_flowing_sand: The first scan of your AWS accounts is still running. Try again in a minute.'),
    ],
  };
}

/** When the bot itself failed; the details go to the log, not to Slack. */
export function buildInternalError(): SlackMessage {
  return {
    text: 'Something went wrong on my side; please try again.',
    blocks: [
      section(
        ':warning: Something went wrong on my side. Please try again ' +
          'in a minute; if it keeps happening, tell your security team.',
      ),
      context(['The details are in the bot’s log.']),
    ],
  };
}
