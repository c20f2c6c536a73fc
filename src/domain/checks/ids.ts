/**
 * The ids of the registered checks, in report order. They sit in a file of their own, below the checks, so the
 * domain types can name a check id without importing the registry (which imports the checks, which import the
 * types). registry.ts fails to compile unless its checks carry exactly these ids.
 */
export const REGISTERED_CHECK_IDS = ['root-mfa', 'root-hardware-mfa', 'user-console-mfa', 'user-hardware-mfa'] as const;

export type CheckId = (typeof REGISTERED_CHECK_IDS)[number];
