import { describe, expect, it } from 'vitest';
import { percentile, spreadOf } from '../../../src/domain/metrics/spread.js';

describe('spreadOf', () => {
  it('median of an odd and an even sample, and the nearest-rank p90', () => {
    expect(spreadOf([3, 1, 2])).toEqual({ count: 3, medianDays: 2, p90Days: 3 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ count: 4, medianDays: 2.5, p90Days: 4 });
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });

  it('an empty sample has no median', () => {
    expect(spreadOf([])).toEqual({ count: 0 });
  });
});
