/** How long something took across a sample: the median and the 90th percentile, in days. */
export interface Spread {
  count: number;
  /** Undefined for an empty sample. */
  medianDays?: number;
  p90Days?: number;
}

/**
 * The p-th percentile (0 < p <= 100) by the nearest-rank method: the smallest value with at least p% of the
 * sample at or below it, so it is always a value that was measured. Undefined for an empty sample.
 */
export function percentile(sortedAscending: readonly number[], p: number): number | undefined {
  if (sortedAscending.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[rank - 1];
}

/** The median (the mean of the middle two for an even count) and p90 of durations in days. */
export function spreadOf(days: readonly number[]): Spread {
  if (days.length === 0) return { count: 0 };
  const sorted = [...days].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianDays = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { count: sorted.length, medianDays, p90Days: percentile(sorted, 90)! };
}
