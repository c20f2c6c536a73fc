import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { isoDate } from '../../domain/dates.js';
import { ROOT_PRINCIPAL, type Verdict } from '../../domain/types.js';
import { accountSignInUrl, securityCredentialsUrl } from '../../domain/console-links.js';
import { code, link, mention, truncate } from '../mrkdwn.js';
import {
  accountLabel,
  accountLabelPlain,
  iamName,
  ordinal,
  plainName,
  relativeDays,
  type NudgeAccount,
  type SlackMessage,
} from './format.js';
import { ACTION_IDS, BLOCK_IDS, encodeButtonValue } from './ids.js';
import { context, fieldsSection, section } from './limits.js';

export type NudgeKind = 'first' | 'grace' | 'reminder';

export interface NudgeInput {
  /** A `user-console-mfa` verdict with status `fail` or `grace`. */
  verdict: Verdict;
  account: NudgeAccount;
  slackUserId: string;
  kind: NudgeKind;
  /** 1 for the first reminder after the first nudge, and so on. */
  reminderNumber?: number;
  now: Date;
}

export const NUDGE_BUTTON_LABELS = {
  recheck: "I've turned on MFA, check again",
  snooze1d: 'Snooze 1 day',
  help: 'I need help',
} as const;

/**
 * Root findings go to the security channel, never to a person's DMs; and a DM is only ever about one user's own login.
 */
export function assertNudgeable(verdict: Verdict, account: NudgeAccount, what: string): void {
  if (verdict.principal === ROOT_PRINCIPAL) throw new Error(`${what}: root findings are never sent as direct messages`);
  if (verdict.check !== 'user-console-mfa')
    throw new Error(`${what}: only user-console-mfa findings are sent as direct messages, not ${verdict.check}`);
  if (verdict.accountId !== account.accountId) {
    throw new Error(`${what}: the finding is for account ${verdict.accountId}, not ${account.accountId}`);
  }
}

/** A visible URL as the label, so people can see where a link goes before they click it. */
function visibleLink(url: string): string {
  return link(url, url.replace(/^https:\/\//, ''));
}

function intro(input: NudgeInput, you: string): string {
  const { verdict, kind, now } = input;
  const due = verdict.deadline ? `*${isoDate(verdict.deadline)}* (${relativeDays(verdict.deadline, now)})` : undefined;
  switch (kind) {
    case 'grace':
      return (
        `:wave: Hi ${you}! Your AWS console login was set up recently ` +
        'and has one step left: multi-factor authentication (MFA). ' +
        `Please turn it on${due ? ` by ${due}` : ' soon'}; it takes about ` +
        'two minutes and you can do it yourself with the steps below.'
      );
    case 'reminder': {
      const which =
        input.reminderNumber !== undefined && input.reminderNumber > 0
          ? `${ordinal(input.reminderNumber)} reminder`
          : 'Reminder';
      const deadline = verdict.status === 'grace' && due ? ` It is due by ${due}.` : '';
      return (
        `:bell: *${which}:* ${you}, your AWS console login still has no ` +
        `multi-factor authentication (MFA).${deadline} The steps are below.`
      );
    }
    case 'first':
      return (
        `:wave: Hi ${you}. Your AWS console login has no multi-factor authentication (MFA) yet, ` +
        'so its password alone lets anyone in. You can turn MFA on yourself in about two minutes.'
      );
  }
}

function fallback(input: NudgeInput): string {
  const user = plainName(input.verdict.principal);
  const acct = accountLabelPlain(input.account);
  switch (input.kind) {
    case 'grace':
      return (
        `Welcome! Please turn on MFA for your AWS console login ${user} in account ` +
        `${acct}${input.verdict.deadline ? ` by ${isoDate(input.verdict.deadline)}` : ''}.`
      );
    case 'reminder':
      return (
        `${input.reminderNumber ? `${ordinal(input.reminderNumber)} reminder` : 'Reminder'}: ` +
        `your AWS console login ${user} in account ${acct} still has no MFA.`
      );
    case 'first':
      return `Your AWS console login ${user} in account ${acct} has no MFA yet: here is how to turn it on.`;
  }
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text, emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

export function nudgeActions(accountId: string, userName: string): ActionsBlock {
  const value = encodeButtonValue({ accountId, userName });
  return {
    type: 'actions',
    block_id: BLOCK_IDS.nudgeActions,
    elements: [
      button(NUDGE_BUTTON_LABELS.recheck, ACTION_IDS.recheck, value, 'primary'),
      button(NUDGE_BUTTON_LABELS.snooze1d, ACTION_IDS.snooze1d, value),
      button(NUDGE_BUTTON_LABELS.help, ACTION_IDS.help, value),
    ],
  };
}

/** The enrollment steps, as blocks: shared steps, then one section per kind of device. */
export function enrollmentSteps(account: NudgeAccount, userName: string): KnownBlock[] {
  const signIn = accountSignInUrl(account);
  const credentials = securityCredentialsUrl(account.partition);
  return [
    section(
      [
        '*How to turn on MFA*',
        `1. Sign in at ${visibleLink(signIn)} as ${iamName(userName)}.`,
        '2. Open the account menu (your user name, top right) and choose *Security ' +
          `credentials*. Once signed in, ${link(credentials, 'this link')} goes straight there.`,
        '3. In the *Multi-factor authentication (MFA)* box, choose *Assign MFA device*.',
        '4. Give the device a name you will recognise, pick its type, and continue. Then, depending on the type:',
      ].join('\n'),
    ),
    section(
      [
        '*A passkey or security key (FIDO)*: the strongest choice',
        '5. Pick *Passkey or security key*.',
        '6. When the browser asks, touch your security key, or ' +
          'confirm the passkey with your fingerprint, face or device PIN.',
      ].join('\n'),
    ),
    section(
      [
        '*An authenticator app on your phone (virtual MFA)*',
        '5. Pick *Authenticator app* and scan the QR code with the app.',
        '6. Type in two codes in a row: the one showing now, then the next one once it changes.',
      ].join('\n'),
    ),
    section(
      [
        '*A hardware TOTP token*',
        '5. Pick *Hardware TOTP token* and enter the serial number printed on the token.',
        '6. Press its button and type in the code, then do it again for a second, consecutive code.',
      ].join('\n'),
    ),
  ];
}

/**
 * The DM to a person whose console login lacks MFA: which account and IAM user, why it matters, the
 * self-service steps for each kind of device with the account's sign-in URL and the security
 * credentials page, and three buttons. Throws for root findings, which are never DMed.
 */
export function buildNudge(input: NudgeInput): SlackMessage {
  const { verdict, account, slackUserId } = input;
  assertNudgeable(verdict, account, 'buildNudge');
  if (verdict.status !== 'fail' && verdict.status !== 'grace') {
    throw new Error(`buildNudge: nothing to nudge about for a ${verdict.status} finding`);
  }
  const you = mention(slackUserId);
  const userName = verdict.principal;
  const dueSuffix = verdict.status === 'grace' && verdict.deadline ? ` · due ${isoDate(verdict.deadline)}` : '';

  const blocks: KnownBlock[] = [
    section(intro(input, you), BLOCK_IDS.nudgeIntro),
    fieldsSection([`*AWS account*\n${accountLabel(account)}`, `*IAM user*\n${iamName(userName)}`]),
    section(
      [
        '*Why it matters*',
        'A password can be phished, guessed or reused from another ' +
          'leak, and on its own it opens this account to whoever holds it.',
        'With MFA, a stolen password is not enough: signing in also needs something only you have.',
      ].join('\n'),
    ),
    ...enrollmentSteps(account, userName),
    section(
      [
        '*Afterwards*, sign out of the console and sign back in: the session you had ' +
          'open does not carry MFA, so some pages may keep refusing you until you do.',
        "*Don't use the console?* If you only work through the CLI or SDKs, press " +
          '*I need help* and ask for the console password to be removed instead.',
      ].join('\n'),
    ),
    context([
      `Sign-in page: ${visibleLink(accountSignInUrl(account))}`,
      `Found by the ${code(verdict.check)} check on ${isoDate(input.now)}${dueSuffix}`,
    ]),
    nudgeActions(account.accountId, userName),
  ];
  return { text: truncate(fallback(input), 300), blocks };
}

/** Escaped one-line description of the login, for the small builders. */
export function loginDescription(account: NudgeAccount, userName: string): string {
  return `${iamName(userName)} in account ${accountLabel(account)}`;
}
