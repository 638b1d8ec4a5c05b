import { describe, expect, it } from 'vitest';
import { comparedRow } from './bench-row';
import { percentile, perSecond, summarize } from './stats';

describe('percentile and summarize', () => {
  it('given 1..100, then nearest-rank percentiles are the values at those ranks', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect(s).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('given few or no values, then the percentiles stay inside the data', () => {
    expect(percentile([], 99)).toBe(0);
    expect(percentile([7], 1)).toBe(7);
    expect(summarize([3, 1, 2])).toEqual({ count: 3, p50: 2, p95: 3, p99: 3, max: 3 });
  });
});

describe('perSecond and comparedRow', () => {
  it('given counts and durations, then rates per second; a zero baseline gives no ratio', () => {
    expect(perSecond(500, 250)).toBe(2000);
    expect(perSecond(5, 0)).toBe(0);
    expect(comparedRow('x', 30, 'ms', 'b', 12)).toEqual({ name: 'x', value: 30, unit: 'ms', baseline: 'b', ratio: 2.5 });
    expect(comparedRow('x', 30, 'ms', 'b', 0)).toEqual({ name: 'x', value: 30, unit: 'ms', baseline: 'b' });
  });
});
