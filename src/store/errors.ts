/** The state file cannot be used. The message names the file; the bot stops rather than start over without it. */
export class StateStoreError extends Error {
  override name = 'StateStoreError';

  constructor(
    readonly location: string,
    problem: string,
  ) {
    super(`state file ${location}: ${problem}`);
  }
}
