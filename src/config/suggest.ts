import type { z } from 'zod';
import { closestMatch } from '../util/edit-distance.js';
import { configSchema } from './schema.js';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under optional, default and transform wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  for (let s = schema; ; ) {
    const def = defOf(s);
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!inner) return s;
    s = inner;
  }
}

/** The keys the config schema knows at `path` (an object's keys; array indexes are stepped through). */
export function knownKeysAt(path: readonly PropertyKey[], schema: z.ZodType = configSchema): string[] {
  let node = unwrap(schema);
  for (const step of path) {
    const def = defOf(node);
    if (def.type === 'object' && typeof step === 'string' && def.shape?.[step]) node = unwrap(def.shape[step]);
    else if (def.type === 'array' && def.element) node = unwrap(def.element);
    else return [];
  }
  const def = defOf(node);
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** `slack.digestChanel` → `digestChannel`: the known key at that place a misspelt one was most likely meant as. */
export function suggestKey(path: readonly PropertyKey[], unknownKey: string): string | undefined {
  return closestMatch(unknownKey, knownKeysAt(path));
}

/** `slack.digestChanel → slack.digestChannel` for each unknown key of `raw` that looks like a typo of a known one. */
export function keyRenames(raw: unknown): string[] {
  const result = configSchema.safeParse(raw ?? {});
  if (result.success) return [];
  return result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.flatMap((k) => {
          const near = suggestKey(issue.path, k);
          const at = issue.path.map(String).join('.');
          return near ? [`${at ? `${at}.` : ''}${k} → ${at ? `${at}.` : ''}${near}`] : [];
        })
      : [],
  );
}
