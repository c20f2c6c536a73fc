export const EXIT = {
  /** No finding is `fail`. */
  ok: 0,
  /** At least one finding is `fail` (or, for `run`, a delivery failed). */
  findings: 1,
  /** Bad usage, unreadable or malformed input, bad config. */
  usage: 2,
  /** Nothing failed, but an account could not be scanned: compliance is unknown. */
  scanError: 3,
  /** Slack could not be reached or refused something: bad token, channel not found, DMs that failed. */
  delivery: 4,
  /** The state file (state.path) is corrupt, not ours, newer than this version, or cannot be written. */
  state: 5,
} as const;
