/** Freezes a plain data tree (objects, arrays; Dates too), so a shared copy cannot be changed by one reader. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
