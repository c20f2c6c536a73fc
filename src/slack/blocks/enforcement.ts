import type { ActionsBlock, KnownBlock, View } from '@slack/types';
import { humanAge, isoDate } from '../../domain/dates.js';
import { code, escapeMrkdwn, isSlackUserId, mention, truncate } from '../mrkdwn.js';
import {
  accountLabel,
  accountLabelPlain,
  iamName,
  personLabel,
  plainName,
  plural,
  type NudgeAccount,
  type SlackMessage,
} from './format.js';
import { BLOCK_IDS, ENFORCE_ACTION_IDS, encodeButtonValue } from './ids.js';
import { context, section } from './limits.js';
import { button, enrollmentSteps } from './nudge.js';

/** "10 Dec": the day as the final notice names it (UTC). */
export function dayMonth(date: Date): string {
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

interface Target {
  account: NudgeAccount;
  userName: string;
}

/** DM: the last word before the login is limited, naming the day. */
export function buildFinalNotice(input: Target & { enforceOn: Date }): SlackMessage {
  const { account, userName, enforceOn } = input;
  const day = dayMonth(enforceOn);
  const lead =
    `Final notice: on ${day} your console permissions as ${iamName(userName)} in account ${accountLabel(account)} ` +
    'will be limited to setting up MFA, unless MFA is on by then.';
  return {
    text: truncate(
      `Final notice: on ${day} your console permissions as ${plainName(userName)} in account ` +
        `${accountLabelPlain(account)} will be limited to setting up MFA.`,
      300,
    ),
    blocks: [
      section(`:warning: *${lead}*\nIt takes two minutes; the steps are below.`),
      ...enrollmentSteps(account, userName),
    ],
  };
}

/** DM after Enforce: what happened, why, how to get out of it. */
export function buildEnforcedNotice(input: Target): SlackMessage {
  const { account, userName } = input;
  return {
    text: truncate(
      `Your console permissions as ${plainName(userName)} in account ${accountLabelPlain(account)} are now ` +
        'limited to setting up MFA.',
      300,
    ),
    blocks: [
      section(
        `:lock: *Your console permissions as ${iamName(userName)} in account ${accountLabel(account)} are now ` +
          'limited to setting up MFA.*\n' +
          'Why: the login still had no MFA after the reminders and the final notice, and the security team ' +
          'approved the limit. Everything comes back by itself once MFA is on.',
      ),
      ...enrollmentSteps(account, userName),
      section('*Then sign out and in again*: the new session carries MFA, and the limit no longer applies to it.'),
    ],
  };
}

function requestActions(value: string, enforced: boolean): ActionsBlock {
  return {
    type: 'actions',
    block_id: BLOCK_IDS.enforcementActions,
    elements: enforced
      ? [button('Lift', ENFORCE_ACTION_IDS.lift, value)]
      : [
          button('Enforce', ENFORCE_ACTION_IDS.enforce, value, 'danger'),
          button('7 more days', ENFORCE_ACTION_IDS.postpone, value),
          button('Exempt…', ENFORCE_ACTION_IDS.exempt, value),
        ],
  };
}

export interface RequestInput extends Target {
  slackUserId?: string;
  nudgesSent: number;
  firstNudgedAt: Date;
  /** What the policy breaks for them (access keys in use), when anything. */
  breaks?: string;
  now: Date;
}

/** Who, where, how long; the request itself also says what the policy breaks (an edit of it has no scan to ask). */
function requestFacts(input: RequestInput, options: { keys: boolean } = { keys: true }): string {
  const { account, userName, slackUserId, nudgesSent, firstNudgedAt, breaks, now } = input;
  const who = personLabel(userName, slackUserId && isSlackUserId(slackUserId) ? { slackUserId } : undefined);
  const keys = breaks
    ? `:key: *Active access keys used in the last 90 days.* ${escapeMrkdwn(breaks)}`
    : 'No access keys used in the last 90 days: only the console is affected.';
  return [
    `${who} in account ${accountLabel(account)} has had no MFA on a console login for ` +
      `${humanAge(firstNudgedAt, now)}: ${plural(nudgesSent, 'nudge')} since ${isoDate(firstNudgedAt)}, ` +
      'then a final notice.',
    ...(options.keys ? [keys] : []),
  ].join('\n');
}

/** The security channel: may mfa-bot limit this login to setting up MFA? */
export function buildEnforcementRequest(input: RequestInput): SlackMessage {
  const value = encodeButtonValue({ accountId: input.account.accountId, userName: input.userName });
  return {
    text: truncate(
      `Enforcement request: limit ${plainName(input.userName)} in account ${accountLabelPlain(input.account)} ` +
        'to setting up MFA?',
      300,
    ),
    blocks: [
      section(
        `:lock: *Limit this console login to setting up MFA?*\n${requestFacts(input)}`,
        BLOCK_IDS.enforcementRequest,
      ),
      requestActions(value, false),
      context([
        `Enforce attaches the require-MFA policy (${code('enforcement.policyName')}, default ` +
          `${code('MfaBotRequireMfa')}); ` +
          'it is detached by itself once MFA is on. Only approvers can decide.',
      ]),
    ],
  };
}

export type Decision =
  | { kind: 'enforced'; by: string; at: Date }
  | { kind: 'postponed'; by: string; at: Date; until: Date }
  | { kind: 'exempted'; by: string; at: Date; until: Date; reason: string }
  | { kind: 'lifted'; by: string; at: Date }
  | { kind: 'closed'; at: Date; why: 'fixed' | 'no-console' | 'exempt' | 'gone' };

const WHY: Record<Extract<Decision, { kind: 'closed' }>['why'], string> = {
  fixed: 'MFA is on',
  'no-console': 'the console password was removed',
  exempt: 'an exemption covers the user',
  gone: 'the IAM user no longer exists',
};

function byWhom(by: string): string {
  if (by === 'auto') return 'automatically (enforcement.approval: auto)';
  if (by === 'mfa-on') return 'automatically: MFA is on';
  return isSlackUserId(by) ? `by ${mention(by)}` : `by ${escapeMrkdwn(by)}`;
}

function decisionLine(d: Decision): string {
  const when = `${isoDate(d.at)} ${d.at.toISOString().slice(11, 16)} UTC`;
  switch (d.kind) {
    case 'enforced':
      return `:lock: *Enforced* ${byWhom(d.by)} on ${when}: the login is limited to setting up MFA.`;
    case 'postponed':
      return `:hourglass: *7 more days* granted ${byWhom(d.by)} on ${when}: asked again on ${isoDate(d.until)}.`;
    case 'exempted':
      return (
        `:white_check_mark: *Exempted* ${byWhom(d.by)} on ${when} until ${isoDate(d.until)}: ` +
        `${escapeMrkdwn(truncate(d.reason, 300))}`
      );
    case 'lifted':
      return `:unlock: *Lifted* ${byWhom(d.by)} on ${when}: the require-MFA policy is detached.`;
    case 'closed':
      return `:white_check_mark: *Nothing to decide* since ${when}: ${WHY[d.why]}.`;
  }
}

/** The request, edited to say who decided what and when; an enforced one keeps a Lift button. */
export function buildDecidedRequest(input: RequestInput & { decision: Decision }): SlackMessage {
  const { decision } = input;
  const value = encodeButtonValue({ accountId: input.account.accountId, userName: input.userName });
  const line = decisionLine(decision);
  const blocks: KnownBlock[] = [
    section(`${line}\n${requestFacts(input, { keys: input.breaks !== undefined })}`, BLOCK_IDS.enforcementRequest),
    ...(decision.kind === 'enforced' ? [requestActions(value, true)] : []),
  ];
  return {
    text: truncate(
      `Enforcement request for ${plainName(input.userName)} in ${accountLabelPlain(input.account)}: ${decision.kind}`,
      300,
    ),
    blocks,
  };
}

/** Ephemeral answer to someone who is no approver: nothing changed. */
export function buildNotApprover(): SlackMessage {
  const text =
    'Only approvers can decide enforcement requests (enforcement.approvers in the config, else the Slack admins). ' +
    'Nothing was changed.';
  return { text, blocks: [section(`:no_entry: ${text}`)] };
}

/** Ephemeral answer when a decision cannot be carried out, and why. */
export function buildCannotDecide(reason: string): SlackMessage {
  const text = `Nothing was changed: ${reason}.`;
  return { text, blocks: [section(`:warning: ${escapeMrkdwn(text)}`)] };
}

/** The Exempt… modal: a reason and an expiry; the button value rides in private_metadata. */
export function buildExemptModal(input: Target & { value: string; today: Date }): View {
  const initial = new Date(input.today.getTime() + 90 * 86_400_000);
  return {
    type: 'modal',
    callback_id: ENFORCE_ACTION_IDS.exemptModal,
    private_metadata: input.value,
    title: { type: 'plain_text', text: 'Exempt from MFA' },
    submit: { type: 'plain_text', text: 'Exempt' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        `Exempt ${iamName(input.userName)} in account ${accountLabel(input.account)} from the MFA checks and ` +
          'enforcement until the date below. Shown in the digest and `scan` output with your name.',
      ),
      {
        type: 'input',
        block_id: BLOCK_IDS.exemptReason,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: ENFORCE_ACTION_IDS.exemptReason,
          min_length: 3,
          max_length: 500,
        },
      },
      {
        type: 'input',
        block_id: BLOCK_IDS.exemptExpiry,
        label: { type: 'plain_text', text: 'Until (inclusive)' },
        element: {
          type: 'datepicker',
          action_id: ENFORCE_ACTION_IDS.exemptExpiry,
          initial_date: isoDate(initial),
        },
      },
    ],
  };
}
