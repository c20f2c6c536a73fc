/** The input named on the command line (a credential report file, a filter) cannot be used. */
export class InputError extends Error {
  override name = 'InputError';
}
