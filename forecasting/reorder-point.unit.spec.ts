/**
 * The reorder point protects the lead time plus the interval until the next review, against
 * forecast error and lead-time spread (reorder-point.ts). Given a forecast, when the figures
 * are computed, then these numbers (hand-computed).
 */
import { describe, expect, it } from 'vitest';
import { reorderFigures } from './reorder-point';
import { normalQuantile } from './stats';

const flat = (perDay: number, days: number) => new Array<number>(days).fill(perDay);

describe('reorder point over lead time + review interval, with lead-time spread', () => {
  it('given 2 a day, σ 1.5, lead 4 d, sd 1 d, daily review: covers 5 days and both errors', () => {
    const f = reorderFigures({ daily: flat(2, 20), rmse: 1.5, leadTimeDays: 4, leadTimeSdDays: 1, reviewIntervalDays: 1, reviewDays: 3, method: 'tsb' });
    // P = 5: demand 10; σ = √(5·1.5² + 2²·1²) = √15.25 = 3.905; z(95 %) 1.6449: safety 6.424.
    expect(f.leadTimeDemand).toBe(10);
    expect(f.safetyStock).toBeCloseTo(normalQuantile(0.95) * Math.sqrt(15.25), 9);
    expect(f.reorderPoint).toBe(17); // ⌈16.42⌉
    expect(f.orderUpTo).toBe(23); // ⌈16.42 + 3 × 2⌉
    expect(f.reason).toContain('over 4 d lead time (sd 1.0 d) + 1 d to the next review');
  });

  it('given no review interval and no spread: demand over L + z·σ·√L, as before', () => {
    const f = reorderFigures({ daily: flat(2, 11), rmse: 1.5, leadTimeDays: 4, method: 'tsb' });
    expect(f.reorderPoint).toBe(13);
    expect(f.orderUpTo).toBe(27);
  });

  it('given a supplier whose deliveries vary, then the reorder point holds more than for a punctual one', () => {
    const input = { daily: flat(5, 30), rmse: 2, leadTimeDays: 6, reviewIntervalDays: 1, method: 'holt_winters' };
    const punctual = reorderFigures(input);
    const varying = reorderFigures({ ...input, leadTimeSdDays: 1.5 });
    // σ_L 1.5 d at 5 a day adds 7.5 units of spread to √7·2 = 5.3: safety from 8.7 to 14.3.
    expect(varying.safetyStock - punctual.safetyStock).toBeCloseTo(normalQuantile(0.95) * (Math.sqrt(7 * 4 + 25 * 2.25) - Math.sqrt(28)), 9);
    expect(varying.reorderPoint).toBeGreaterThan(punctual.reorderPoint + 4);
  });

  it('given a forecast shorter than the protection period and the cycle, then it refuses', () => {
    expect(() => reorderFigures({ daily: flat(1, 8), rmse: 1, leadTimeDays: 5, reviewIntervalDays: 1, reviewDays: 3, method: 'tsb' })).toThrow(RangeError);
  });
});
