import type { ActionsBlock, KnownBlock, ModalView } from '@slack/types';
import type { AccountResult } from '../../domain/types.js';
import type { RootDeletionOutcome } from '../../domain/root-access.js';
import { escapeMrkdwn, truncate } from '../mrkdwn.js';
import { accountLabel, plural, rootStateText, utcStamp } from './format.js';
import { section } from './limits.js';

/** "Delete root credentials": the value is encodeRootDeleteValue(); it opens the confirmation modal. */
export const ROOT_DELETE_ACTION = 'mfa_root_delete';
/** The confirmation modal's callback_id; its private_metadata is encodeRootDeleteTarget(). */
export const ROOT_DELETE_MODAL = 'mfa_root_delete_modal';

/** The member account a button or modal is about, with its alias and Organizations name when known. */
export type RootDeleteAccount = Pick<AccountResult, 'accountId' | 'alias' | 'name'>;
/** The modal's target: the account, and the channel the button was in (where the outcome goes). */
export interface RootDeleteTarget {
  account: RootDeleteAccount;
  channel: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const NAME_MAX = 100;

function accountOf(raw: unknown): RootDeleteAccount | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { a, l, n } = raw as Record<string, unknown>;
  if (typeof a !== 'string' || !ACCOUNT_ID.test(a)) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v.slice(0, NAME_MAX) : undefined);
  const alias = text(l);
  const name = text(n);
  return { accountId: a, ...(alias ? { alias } : {}), ...(name ? { name } : {}) };
}

function parse(raw: string | undefined): unknown {
  try {
    return raw && raw.length <= 3000 ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function accountFields(account: RootDeleteAccount) {
  return {
    a: account.accountId,
    ...(account.alias ? { l: account.alias.slice(0, NAME_MAX) } : {}),
    ...(account.name ? { n: account.name.slice(0, NAME_MAX) } : {}),
  };
}

/** `{"a":"111122223333","l":"prod"}`: the account, and its names for the modal (at most a few hundred characters). */
export function encodeRootDeleteValue(account: RootDeleteAccount): string {
  return JSON.stringify(accountFields(account));
}

/** The inverse of encodeRootDeleteValue(); a bare account ID (buttons posted before the modal) is accepted too. */
export function decodeRootDeleteValue(raw: string | undefined): RootDeleteAccount | undefined {
  if (raw !== undefined && ACCOUNT_ID.test(raw)) return { accountId: raw };
  return accountOf(parse(raw));
}

export function encodeRootDeleteTarget(target: RootDeleteTarget): string {
  return JSON.stringify({ ...accountFields(target.account), c: target.channel });
}

export function decodeRootDeleteTarget(raw: string | undefined): RootDeleteTarget | undefined {
  const parsed = parse(raw);
  const account = accountOf(parsed);
  const channel = (parsed as { c?: unknown } | undefined)?.c;
  if (!account || typeof channel !== 'string' || !/^[CDG][A-Z0-9]+$/.test(channel)) return undefined;
  return { account, channel };
}

/**
 * The button for approvers under a member account whose root still has credentials (the digest, `/mfa-check root`).
 * It opens a modal that names the account and says what goes; nothing is deleted until that is submitted.
 */
export function rootDeleteActions(account: RootDeleteAccount): ActionsBlock {
  return {
    type: 'actions',
    block_id: `mfa_root_delete_${account.accountId}`,
    elements: [
      {
        type: 'button',
        action_id: ROOT_DELETE_ACTION,
        text: { type: 'plain_text', text: 'Delete root credentials' },
        style: 'danger',
        value: encodeRootDeleteValue(account),
      },
    ],
  };
}

/** What deleting the root credentials of `account` does, asked before anything happens. */
export function buildRootDeleteModal(target: RootDeleteTarget): ModalView {
  const label = accountLabel(target.account);
  return {
    type: 'modal',
    callback_id: ROOT_DELETE_MODAL,
    private_metadata: encodeRootDeleteTarget(target),
    title: { type: 'plain_text', text: 'Delete root credentials' },
    submit: { type: 'plain_text', text: 'Delete' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`:warning: *Delete the root user's credentials of account ${label}?*`),
      section(
        [
          'Through a root session from the management account (`sts:AssumeRoot`, task ' +
            '`IAMDeleteRootUserCredentials`), mfa-bot will:',
          "• delete the root user's password (login profile),",
          '• delete its access keys,',
          '• delete its signing certificates,',
          '• deactivate its MFA devices.',
        ].join('\n'),
      ),
      section(
        '*mfa-bot cannot undo this.* Nobody can then sign in as this root user, and the keys and certificates ' +
          'are gone for good. To let the root user in again, the management account allows password recovery ' +
          '(IAM → Root access management).',
      ),
      section('The channel is told who decided and what was deleted. Only approvers can do this.'),
    ],
  };
}

/**
 * The modal, once an approver submitted it: the deletion runs after the modal's answer (a root session, the
 * deletions, a new scan of the account take some seconds), so it says what is under way and where the outcome goes.
 */
export function buildRootDeleteModalUnderWay(target: RootDeleteTarget): ModalView {
  return noticeModal(
    `:hourglass_flowing_sand: Deleting the root user's credentials of account ${accountLabel(target.account)}. ` +
      `The outcome is posted in <#${target.channel}> in a few seconds, naming who decided.`,
  );
}

/** The modal replaced by one line of news, with only a Close button. */
function noticeModal(text: string): ModalView {
  return {
    type: 'modal',
    callback_id: ROOT_DELETE_MODAL,
    title: { type: 'plain_text', text: 'Delete root credentials' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(text)],
  };
}

/** The modal, once submitted by someone who may not delete (or where nothing can be deleted): it says why. */
export function buildRootDeleteModalRefusal(text: string): ModalView {
  return noticeModal(`:no_entry: ${text}`);
}

export function buildRootDeleteRefusedForNonApprover(): { text: string } {
  return {
    text:
      'Only approvers can delete root credentials: the users in enforcement.approvers, or the Slack admins ' +
      'when that list is empty. Nothing was changed.',
  };
}

export function buildRootDeleteUnavailable(): { text: string } {
  return {
    text:
      'This mfa-bot cannot delete root credentials here: it runs without the management account clients ' +
      '(`organization` in the config). Delete them in the management account: IAM → Root access management.',
  };
}

/** What came of a deletion, for the channel the button was pressed in. */
export function buildRootDeleteOutcome(outcome: RootDeletionOutcome, at: Date): { text: string; blocks: KnownBlock[] } {
  const who = `<@${outcome.approver}>`;
  if (outcome.kind === 'refused') {
    const text =
      `:warning: Root credentials of account \`${outcome.accountId}\` were not deleted (asked by ${who}): ` +
      escapeMrkdwn(truncate(outcome.reason, 1500));
    return { text, blocks: [section(text)] };
  }
  if (outcome.kind === 'already') {
    const text = outcome.inProgress
      ? `:hourglass: Root credentials of account \`${outcome.accountId}\` are already being deleted by ` +
        `<@${outcome.by}> (approved at ${utcStamp(outcome.at)}); ${who}'s press changed nothing.`
      : `:white_check_mark: Root credentials of account \`${outcome.accountId}\` were already deleted by ` +
        `<@${outcome.by}> at ${utcStamp(outcome.at)}; ${who}'s press changed nothing.`;
    return { text, blocks: [section(text)] };
  }
  const d = outcome.deleted;
  const parts = [
    ...(d.password ? ['the password'] : []),
    ...(d.accessKeys ? [plural(d.accessKeys, 'access key')] : []),
    ...(d.signingCertificates ? [plural(d.signingCertificates, 'signing certificate')] : []),
    ...(d.mfaDevices ? [`${plural(d.mfaDevices, 'MFA device')} deactivated`] : []),
  ];
  const text =
    `:wastebasket: Root credentials of account ${accountLabel(outcome.account)} deleted by ${who} at ` +
    `${utcStamp(at)}: ${parts.length ? parts.join(', ') : 'nothing was left'}. ` +
    `Root MFA now: ${rootStateText(outcome.account)}.`;
  return { text, blocks: [section(text)] };
}
