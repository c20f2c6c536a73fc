import type { ActionsBlock, KnownBlock } from '@slack/types';
import { humanAge } from '../../../domain/dates.js';
import { code, mention, truncate } from '../../mrkdwn.js';
import { plural, utcStamp, type SlackMessage } from '../format.js';
import { CHECK_ACTION_IDS, CHECK_BLOCK_IDS } from '../ids.js';
import { fitLines } from '../fit.js';
import { context, section } from '../limits.js';
import { byUrgency, needsAction, rowLines, type UserStatusRow } from '../user-status.js';

/**
 * Where an answer's facts come from: the latest scan (with its age, and any live check since), or a live
 * check just now. `liveRefusedUntil`: a live check was asked for, but this person had their share for now.
 */
export type AnswerSource =
  | { kind: 'scan'; at: Date; accounts: number; liveRefusedUntil?: Date }
  | { kind: 'live'; at: Date };

export type AnswerSubject =
  | { kind: 'self'; slackUserId: string }
  | { kind: 'person'; slackUserId: string }
  | { kind: 'iam-user'; userName: string };

export interface UserStatusAnswerInput {
  subject: AnswerSubject;
  rows: readonly UserStatusRow[];
  source: AnswerSource;
  /** Command text of the question, for the "Check again" button; no button without it. */
  askAgain?: string;
  now: Date;
}

export function scanAgeLine(at: Date, now: Date): string {
  return `From the scan of ${utcStamp(at)} (${humanAge(at, now)} ago).`;
}

export function sourceLine(source: AnswerSource, now: Date): string {
  if (source.kind === 'live') return `Checked live with AWS at ${utcStamp(source.at)}.`;
  if (source.liveRefusedUntil) {
    // utcStamp shows minutes: round up, so the time given is never too early.
    const again = new Date(Math.ceil(source.liveRefusedUntil.getTime() / 60_000) * 60_000);
    return (
      ':hourglass: Not checked live this time: you asked for live ' +
      'checks more often than once a minute, so this is the last I saw ' +
      `(the scan of ${utcStamp(source.at)}, ${humanAge(source.at, now)} ago, and ` +
      `any live check since). You can check live again from ${utcStamp(again)}.`
    );
  }
  return `${scanAgeLine(source.at, now)} Add ${code('--fresh')} to check live.`;
}

export function checkAgainActions(askAgain: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: CHECK_BLOCK_IDS.answerActions,
    elements: [
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Check again', emoji: true },
        action_id: CHECK_ACTION_IDS.checkAgain,
        value: askAgain,
      },
    ],
  };
}

function title(subject: AnswerSubject, count: number): string {
  switch (subject.kind) {
    case 'self':
      return `*Your AWS console logins* (${count})`;
    case 'person':
      return `*AWS console logins of ${mention(subject.slackUserId)}* (${count})`;
    case 'iam-user':
      return `*IAM user ${code(subject.userName)}* (${plural(count, 'account')})`;
  }
}

function emptyText(input: UserStatusAnswerInput): string {
  const scope = input.source.kind === 'scan' ? ` in the latest scan (${plural(input.source.accounts, 'account')})` : '';
  switch (input.subject.kind) {
    case 'self':
      return (
        `I found no AWS console login of yours${scope}. If you have one, ask an admin to tag your IAM user ` +
        `${code(`slack=${input.subject.slackUserId}`)} (or with your e-mail address) so I can match it to you.`
      );
    case 'person':
      return `No AWS console login${scope} maps to ${mention(input.subject.slackUserId)}.`;
    case 'iam-user':
      return `No IAM user named ${code(input.subject.userName)}${scope}.`;
  }
}

function fallback(input: UserStatusAnswerInput): string {
  const failing = input.rows.filter(needsAction).length;
  const whose = input.subject.kind === 'self' ? 'Your AWS console logins' : 'AWS console logins';
  if (input.rows.length === 0) return `${whose}: none found.`;
  return `${whose}: ${failing ? `${plural(failing, 'login')} without MFA` : 'all have MFA or need none'}.`;
}

/** The answer to `/mfa-check`, `me`, `@someone` and `user NAME`: one entry per IAM user, most urgent first. */
export function buildUserStatusAnswer(input: UserStatusAnswerInput): SlackMessage {
  const rows = [...input.rows].sort(byUrgency);
  const showPerson = input.subject.kind === 'iam-user';
  const tail: KnownBlock[] = [
    context([sourceLine(input.source, input.now)]),
    ...(input.askAgain ? [checkAgainActions(input.askAgain)] : []),
  ];
  const blocks =
    rows.length === 0
      ? [section(emptyText(input)), ...tail]
      : fitLines({
          head: [section(title(input.subject, rows.length))],
          lines: rows.map((r) => rowLines(r, input.now, { showPerson })),
          tail,
          more: (hidden) => `…and ${plural(hidden, 'more login')}: ask an admin for \`/mfa-check summary\`.`,
        });
  return { text: truncate(fallback(input), 300), blocks };
}
