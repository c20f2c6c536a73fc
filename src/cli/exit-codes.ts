/** Exit statuses, the same for every command that can give them (README: "Exit status, for CI"). */
export const EXIT = {
  /** Nothing failed (`run`: and everything was delivered). */
  ok: 0,
  /** At least one finding is `fail` (`scan`, `run`; for `run`, everything was delivered). */
  findings: 1,
  /** Bad usage (a bare `mfa-bot` included), unreadable or malformed input, bad config. */
  usage: 2,
  /** Nothing failed, but an account could not be scanned: compliance is unknown. */
  scanError: 3,
  /**
   * Slack could not be reached or refused something: bad token, channel not found, DMs that failed. Wins over 1 and 3.
   */
  delivery: 4,
  /** The state file (state.path) is damaged, not ours, newer than this version, or cannot be written. */
  state: 5,
  /** `doctor`: at least one check of the setup failed (each failing line says what to fix). */
  doctor: 6,
} as const;
