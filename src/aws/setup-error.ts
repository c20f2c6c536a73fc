/** The AWS settings themselves are wrong (a region or profile that does not exist): nothing was called. */
export class AwsSetupError extends Error {
  override name = 'AwsSetupError';
}
