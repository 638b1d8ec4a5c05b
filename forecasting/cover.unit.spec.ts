import { describe, expect, test } from 'vitest';
import { coverOf } from './cover';
import { reorderFigures } from './reorder-point';

describe('days of cover', () => {
  test('walks the daily forecast until the on-hand is used up', () => {
    // 10 on hand, 3 a day: 3, 6, 9 sold after three days, the fourth day needs 1 of 3.
    expect(coverOf(10, [3, 3, 3, 3, 3], '2026-03-01')).toEqual({ daysOfCover: 3 + 1 / 3, stockoutDate: '2026-03-04' });
  });
  test('beyond the horizon the mean rate carries on, without a stockout date', () => {
    expect(coverOf(20, [1, 1, 2, 0], '2026-03-01')).toEqual({ daysOfCover: 4 + 16 / 1 });
  });
  test('nothing on hand: out today; nothing forecast to sell: no cover figure', () => {
    expect(coverOf(0, [1], '2026-03-01')).toEqual({ daysOfCover: 0, stockoutDate: '2026-03-01' });
    expect(coverOf(-2, [1], '2026-03-01')).toEqual({ daysOfCover: 0, stockoutDate: '2026-03-01' });
    expect(coverOf(5, [0, 0, 0], '2026-03-01')).toEqual({ daysOfCover: null });
  });
});

describe('reorder point from the forecast', () => {
  test('lead-time demand plus z·σ·√L, rounded up (hand-computed)', () => {
    // 2 a day, lead time 4 days: 8 units. σ = 1.5, z(95 %) = 1.6449: safety = 1.6449·1.5·2 = 4.93.
    // Reorder point ⌈12.93⌉ = 13; order-up-to adds 7 days × 2 = 14: ⌈26.93⌉ = 27.
    const f = reorderFigures({ daily: new Array<number>(11).fill(2), rmse: 1.5, leadTimeDays: 4, method: 'tsb' });
    expect(f.leadTimeDemand).toBe(8);
    expect(f.safetyStock).toBeCloseTo(4.9346, 3);
    expect(f.reorderPoint).toBe(13);
    expect(f.orderUpTo).toBe(27);
    expect(f.reason).toContain('95 % service');
  });
  test('a higher service level holds more safety stock', () => {
    const input = { daily: new Array<number>(14).fill(2), rmse: 2, leadTimeDays: 7, method: 'tsb' };
    expect(reorderFigures({ ...input, serviceLevel: 0.99 }).reorderPoint).toBeGreaterThan(reorderFigures(input).reorderPoint);
  });
});
