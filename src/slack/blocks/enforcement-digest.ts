import type { EnforcementStanding } from '../../domain/enforcement/steps.js';
import { code } from '../mrkdwn.js';
import { iamName, plural } from './format.js';
import { packLines, section } from './limits.js';

/** Names shown per account and list; the rest are counted. */
const SHOWN = 10;

function names(users: readonly string[]): string {
  const shown = users.slice(0, SHOWN).map(iamName).join(', ');
  return users.length > SHOWN ? `${shown} and ${users.length - SHOWN} more` : shown;
}

/** The digest's enforcement lines: per account, who is limited to setting up MFA now, and who was lifted since. */
export function enforcementDigestBlocks(standing: EnforcementStanding) {
  const accounts = [...new Set([...standing.enforced.keys(), ...standing.lifted.keys()])].sort();
  if (accounts.length === 0) return [];
  const lines = [':lock: *Enforcement* (console limited to setting up MFA until it is on)'];
  for (const accountId of accounts) {
    const enforced = standing.enforced.get(accountId) ?? [];
    const lifted = standing.lifted.get(accountId) ?? [];
    const parts = [
      ...(enforced.length ? [`${plural(enforced.length, 'user')} enforced now: ${names(enforced)}`] : []),
      ...(lifted.length ? [`lifted since the last digest: ${names(lifted)}`] : []),
    ];
    lines.push(`• ${code(accountId)}: ${parts.join('; ')}`);
  }
  return packLines(lines).map((text) => section(text));
}
