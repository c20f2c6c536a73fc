import type { CheckSettings } from '../types.js';
import type { Check } from './check.js';
import { rootHardwareMfa } from './root-hardware-mfa.js';
import { rootMfa } from './root-mfa.js';
import { userConsoleMfa } from './user-console-mfa.js';
import { userHardwareMfa } from './user-hardware-mfa.js';

export type { Check } from './check.js';

export const ALL_CHECKS: readonly Check[] = [rootMfa, rootHardwareMfa, userConsoleMfa, userHardwareMfa];

export function enabledChecks(settings: CheckSettings): Check[] {
  return ALL_CHECKS.filter((c) => c.enabled(settings));
}
