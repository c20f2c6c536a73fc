/** Action and block IDs of the /mfa-check answers and the App Home (the nudge's own are in ids.ts). */
export const CHECK_ACTION_IDS = {
  /** "Check again" under an answer: re-asks the same question live; the value is the question's command text. */
  checkAgain: 'mfa_check_again',
} as const;

export const CHECK_BLOCK_IDS = {
  answerActions: 'mfa_check_actions',
  homeHeader: 'mfa_home_header',
  homeAdminHeader: 'mfa_home_admin_header',
} as const;
