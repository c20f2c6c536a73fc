import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { AccountResult } from '../../domain/types.js';
import type { RootDeletionOutcome } from '../../domain/root-access.js';
import { escapeMrkdwn, truncate } from '../mrkdwn.js';
import { accountLabel, accountLabelPlain, plural, rootStateText, utcStamp } from './format.js';
import { section } from './limits.js';

/** "Delete root credentials": the value is the member account ID. */
export const ROOT_DELETE_ACTION = 'mfa_root_delete';

/**
 * The button for approvers under a member account whose root still has credentials. Slack asks for confirmation,
 * naming the account, before the press is sent.
 */
export function rootDeleteActions(account: Pick<AccountResult, 'accountId' | 'alias' | 'name'>): ActionsBlock {
  const label = accountLabelPlain(account);
  return {
    type: 'actions',
    block_id: `mfa_root_delete_${account.accountId}`,
    elements: [
      {
        type: 'button',
        action_id: ROOT_DELETE_ACTION,
        text: { type: 'plain_text', text: 'Delete root credentials' },
        style: 'danger',
        value: account.accountId,
        confirm: {
          title: { type: 'plain_text', text: 'Delete root credentials?' },
          text: {
            type: 'mrkdwn',
            text: truncate(
              `Delete the root user's password, access keys and signing certificates of account *${label}*, ` +
                'and deactivate its MFA devices? Nobody can then sign in as its root user; the management ' +
                'account can restore a password (IAM → Root access management). Only approvers can do this.',
              300,
            ),
          },
          confirm: { type: 'plain_text', text: 'Delete' },
          deny: { type: 'plain_text', text: 'Cancel' },
          style: 'danger',
        },
      },
    ],
  };
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
