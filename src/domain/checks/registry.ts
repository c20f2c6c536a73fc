import type { CheckSettings } from '../types.js';
import type { Check } from './check.js';
import type { CheckId } from './ids.js';
import { rootHardwareMfa } from './root-hardware-mfa.js';
import { rootMfa } from './root-mfa.js';
import { userConsoleMfa } from './user-console-mfa.js';
import { userHardwareMfa } from './user-hardware-mfa.js';

export type { Check } from './check.js';

/** Every check, in the order reports list them. Adding a check means adding it here (see docs/adding-a-check.md). */
const REGISTERED = [rootMfa, rootHardwareMfa, userConsoleMfa, userHardwareMfa] as const;

export type { CheckId } from './ids.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile when a registered check's id is missing from checks/ids.ts, or an id there has no check. */
const idsMatchRegistry: Same<(typeof REGISTERED)[number]['id'], CheckId> = true;
void idsMatchRegistry;

export const ALL_CHECKS: readonly Check[] = REGISTERED;

export const CHECK_IDS: readonly CheckId[] = ALL_CHECKS.map((c) => c.id);

const BY_ID: ReadonlyMap<string, Check> = new Map(ALL_CHECKS.map((c) => [c.id, c]));

/** The registered check with this id; undefined for an id no check has (e.g. read back from an older store). */
export function findCheck(id: string): Check | undefined {
  return BY_ID.get(id);
}

export function enabledChecks(settings: CheckSettings): Check[] {
  return ALL_CHECKS.filter((c) => c.enabled(settings));
}
