import { decodeButtonValue } from '../slack/blocks/ids.js';
import type { BotDeps } from './deps.js';
import type { IamUserRef } from './ports.js';

export type ButtonClaim =
  | { ok: true; ref: IamUserRef; ownerId?: string }
  | { ok: false; why: 'unreadable' | 'not-yours' };

/**
 * A nudge button may be pressed by the person the IAM user maps to, or by an admin. The value says which
 * IAM user; it came back from Slack in a signed request, but it is still checked, never trusted blindly.
 * An IAM user the latest scan does not map to anyone can only be acted on by an admin.
 */
export async function claimNudgeButton(
  value: string | undefined,
  presserId: string,
  deps: Pick<BotDeps, 'ports' | 'admins'>,
): Promise<ButtonClaim> {
  const ref = decodeButtonValue(value);
  if (!ref) return { ok: false, why: 'unreadable' };
  const owner = await deps.ports.slackIdentityOf(ref);
  if (owner?.slackUserId === presserId || (await deps.admins.isAdmin(presserId))) {
    return { ok: true, ref, ...(owner ? { ownerId: owner.slackUserId } : {}) };
  }
  return { ok: false, why: 'not-yours' };
}
