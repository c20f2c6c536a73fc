import type { UserStatusRow } from '../slack/blocks/user-status.js';
import { rowState } from '../domain/user-state.js';
import type { BotLog } from './logger.js';

/** Who asked what, and what came of it: one info line per slash command, button press or App Home. */
export interface AuditEntry {
  /** The Slack user who asked or pressed. */
  user: string;
  /** `/mfa-check`, a button's name, `app_home_opened`. */
  action: string;
  /** What was asked about: the parsed question or the IAM user, never the raw text (it could hold anything). */
  target: string;
  result: string;
}

export function audit(log: Pick<BotLog, 'info'>, entry: AuditEntry): void {
  log.info(
    `audit user=${entry.user} action=${JSON.stringify(entry.action)} ` +
      `target=${JSON.stringify(entry.target)} result=${JSON.stringify(entry.result)}`,
  );
}

/** `2 logins: ann.smith fail, ann.ops pass` (at most five named). */
export function rowsOutcome(rows: readonly UserStatusRow[]): string {
  if (rows.length === 0) return 'no login found';
  const named = rows.slice(0, 5).map((r) => `${r.userName}@${r.account.accountId} ${rowState(r)}`);
  return `${rows.length} login${rows.length === 1 ? '' : 's'}: ${named.join(', ')}${rows.length > 5 ? ', …' : ''}`;
}
