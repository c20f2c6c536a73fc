import type { KnownBlock } from '@slack/types';
import type { IdentityConflict } from '../../domain/identity.js';
import { code, isSlackUserId, mention, truncate } from '../mrkdwn.js';
import { iamName, num, plural } from './format.js';
import { packLines, section } from './limits.js';

/** Conflicts listed by name; the rest are counted (the dry run lists them all). */
export const CONFLICTS_SHOWN = 10;
const CLAIM_MAX = 120;

function claimText(c: IdentityConflict['claims'][number]): string {
  const member = isSlackUserId(c.slackUserId) ? mention(c.slackUserId) : code(c.slackUserId);
  return `${c.via} ${code(truncate(c.value, CLAIM_MAX))} → ${member}`;
}

/**
 * The digest's warning about IAM users whose identity rules name different Slack members (a `slack` tag
 * against their e-mail, say): nobody is messaged about them until an admin names the person in identity.map.
 */
export function identityConflictBlocks(conflicts: readonly IdentityConflict[]): KnownBlock[] {
  if (conflicts.length === 0) return [];
  const lines = [
    `:warning: *${plural(conflicts.length, 'identity conflict')}: no DM about ` +
      `${conflicts.length === 1 ? 'this IAM user' : 'these IAM users'} until \`identity.map\` names ` +
      'the right Slack user*',
    ...conflicts
      .slice(0, CONFLICTS_SHOWN)
      .map((c) => `• ${iamName(c.userName)} in ${code(c.accountId)}: ${c.claims.map(claimText).join(' · ')}`),
  ];
  const hidden = conflicts.length - CONFLICTS_SHOWN;
  if (hidden > 0) lines.push(`…and ${num(hidden)} more: \`mfa-bot run --once --dry-run\` lists them all`);
  return packLines(lines).map((text) => section(text));
}
