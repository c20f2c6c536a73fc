/** Every action_id and block_id the bot's messages and views use, in one place. */

export const ACTION_IDS = {
  /** "I've turned on MFA, check again". */
  recheck: 'mfa_recheck',
  /** "Snooze 1 day". */
  snooze1d: 'mfa_snooze_1d',
  /** "I need help". */
  help: 'mfa_help',
} as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];

/** The enforcement request's buttons (approvers only) and the Exempt… modal; the value is encodeButtonValue(). */
export const ENFORCE_ACTION_IDS = {
  enforce: 'mfa_enforce',
  postpone: 'mfa_enforce_postpone',
  exempt: 'mfa_enforce_exempt',
  lift: 'mfa_enforce_lift',
  /** The Exempt… modal's callback_id; its private_metadata is the button value. */
  exemptModal: 'mfa_enforce_exempt_modal',
  exemptReason: 'mfa_exempt_reason',
  exemptExpiry: 'mfa_exempt_expiry',
} as const;

export const BLOCK_IDS = {
  digestHeader: 'mfa_digest_header',
  digestSummary: 'mfa_digest_summary',
  digestOverflow: 'mfa_digest_overflow',
  digestChanges: 'mfa_digest_changes',
  digestTrend: 'mfa_digest_trend',
  nudgeIntro: 'mfa_nudge_intro',
  nudgeActions: 'mfa_nudge_actions',
  escalation: 'mfa_escalation',
  enforcementRequest: 'mfa_enforcement_request',
  enforcementActions: 'mfa_enforcement_actions',
  exemptReason: 'mfa_exempt_reason_block',
  exemptExpiry: 'mfa_exempt_expiry_block',
} as const;

/** The /mfa-check answers and the App Home. */
export const CHECK_ACTION_IDS = {
  /** "Check again" under an answer: re-asks the same question live; the value is the question's command text. */
  checkAgain: 'mfa_check_again',
} as const;

export const CHECK_BLOCK_IDS = {
  answerActions: 'mfa_check_actions',
  homeHeader: 'mfa_home_header',
  homeAdminHeader: 'mfa_home_admin_header',
} as const;

/** Which IAM user a nudge button is about; carried in the button `value`. */
export interface NudgeButtonValue {
  accountId: string;
  userName: string;
}

const MAX_BUTTON_VALUE = 2000;

/** `{"a":"111122223333","u":"alice"}`; IAM names are at most 64 characters, so this stays far below 2,000. */
export function encodeButtonValue(value: NudgeButtonValue): string {
  const json = JSON.stringify({ a: value.accountId, u: value.userName });
  if (json.length > MAX_BUTTON_VALUE)
    throw new Error(`button value is ${json.length} characters (max ${MAX_BUTTON_VALUE})`);
  return json;
}

/** The inverse of encodeButtonValue(); undefined for anything that is not a value we wrote. */
export function decodeButtonValue(raw: string | undefined): NudgeButtonValue | undefined {
  if (raw === undefined || raw.length > MAX_BUTTON_VALUE) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { a, u } = parsed as Record<string, unknown>;
    if (typeof a !== 'string' || typeof u !== 'string' || a === '' || u === '') return undefined;
    return { accountId: a, userName: u };
  } catch {
    return undefined;
  }
}
