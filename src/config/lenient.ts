import { configSchema, type Config } from './schema.js';

type Path = readonly PropertyKey[];

function removeAt(root: unknown, path: Path): boolean {
  let node = root as Record<PropertyKey, unknown> | undefined;
  for (const step of path.slice(0, -1)) {
    node = node?.[step] as Record<PropertyKey, unknown> | undefined;
    if (node === null || typeof node !== 'object') return false;
  }
  const last = path[path.length - 1];
  if (!node || last === undefined || !(last in node)) return false;
  if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
  else delete node[last];
  return true;
}

/**
 * The config with every key that has a problem left out, so its default applies: what `doctor` checks the rest of a
 * setup with when the file has mistakes. `dropped` names the keys left out.
 */
export function parseConfigLeniently(raw: unknown): { config: Config; dropped: string[] } {
  const copy = structuredClone(raw ?? {}) as unknown;
  const dropped: string[] = [];
  for (let round = 0; round < 10; round++) {
    const result = configSchema.safeParse(copy);
    if (result.success) return { config: result.data, dropped };
    let removed = false;
    for (const issue of result.error.issues) {
      const paths: Path[] =
        issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      for (const path of paths) {
        // A required key that is missing: leave out what holds it (an exemption without an account, say).
        for (let n = path.length; n > 0; n--) {
          if (!removeAt(copy, path.slice(0, n))) continue;
          dropped.push(path.slice(0, n).map(String).join('.'));
          removed = true;
          break;
        }
      }
    }
    if (!removed) break;
  }
  return { config: configSchema.parse({}), dropped: ['(everything)'] };
}
