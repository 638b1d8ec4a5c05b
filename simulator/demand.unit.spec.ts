import { describe, expect, it } from 'vitest';
import { createDemandModel, WEEKDAY_SHAPE } from './demand';

const model = createDemandModel({ seed: 11, stores: 6, skus: 80, days: 364 });
const S = model.storeSizes.length;
const K = model.skus.length;
const DAYS = 364;

describe('demand generator', () => {
  it('has the mean it states: realised demand over a year matches the sum of expected demand per SKU kind', () => {
    for (const kind of ['regular', 'intermittent'] as const) {
      let realised = 0, expected = 0;
      for (let k = 0; k < K; k += 1) {
        if (model.skus[k]!.kind !== kind) continue;
        for (let s = 0; s < S; s += 1) {
          for (let d = 0; d < DAYS; d += 1) {
            realised += model.demand(s, k, d);
            expected += model.expected(s, k, d);
          }
        }
      }
      expect(expected).toBeGreaterThan(1000);
      expect(Math.abs(realised / expected - 1)).toBeLessThan(0.03);
    }
  });

  it('follows the weekday shape: each weekday’s share of a regular SKU’s demand, relative to the other days, is the stated one', () => {
    const byWeekday = new Array<number>(7).fill(0);
    const expectedByWeekday = new Array<number>(7).fill(0);
    for (let k = 0; k < K; k += 1) {
      if (model.skus[k]!.kind !== 'regular' || model.skus[k]!.promotions.length > 0) continue;
      for (let s = 0; s < S; s += 1) {
        for (let d = 0; d < DAYS; d += 1) {
          byWeekday[d % 7] = byWeekday[d % 7]! + model.demand(s, k, d);
          expectedByWeekday[d % 7] = expectedByWeekday[d % 7]! + model.expected(s, k, d);
        }
      }
    }
    const mean = byWeekday.reduce((a, b) => a + b, 0) / 7;
    const shape = byWeekday.map((x) => x / mean);
    shape.forEach((x, wd) => expect(Math.abs(x - WEEKDAY_SHAPE[wd]!)).toBeLessThan(0.04));
    // Saturday is the busiest day and Sunday the quietest, as stated.
    expect(shape.indexOf(Math.max(...shape))).toBe(5);
    expect(shape.indexOf(Math.min(...shape))).toBe(6);
    expect(expectedByWeekday[5]! / expectedByWeekday[6]!).toBeCloseTo(WEEKDAY_SHAPE[5]! / WEEKDAY_SHAPE[6]!, 1);
  });

  it('makes intermittent SKUs sell on few days, as often as their sale probability says', () => {
    let saleDays = 0, expectedSaleDays = 0, cells = 0;
    for (let k = 0; k < K; k += 1) {
      if (model.skus[k]!.kind !== 'intermittent') continue;
      for (let s = 0; s < S; s += 1) {
        for (let d = 0; d < DAYS; d += 1) {
          if (model.demand(s, k, d) > 0) saleDays += 1;
          expectedSaleDays += model.saleDayProbability(s, k, d);
          cells += 1;
        }
      }
    }
    expect(cells).toBeGreaterThan(5000);
    expect(saleDays / cells).toBeLessThan(0.5);
    expect(Math.abs(saleDays / expectedSaleDays - 1)).toBeLessThan(0.05);
  });

  it('is a pure function of the seed: the same seed gives the same demand in any order, another seed another', () => {
    const again = createDemandModel({ seed: 11, stores: 6, skus: 80, days: 364 });
    const other = createDemandModel({ seed: 12, stores: 6, skus: 80, days: 364 });
    const cells = Array.from({ length: 500 }, (_, i) => [i % S, (i * 7) % K, (i * 13) % DAYS] as const);
    const forward = cells.map(([s, k, d]) => model.demand(s, k, d));
    const backward = [...cells].reverse().map(([s, k, d]) => again.demand(s, k, d)).reverse();
    expect(backward).toEqual(forward);
    expect(cells.map(([s, k, d]) => other.demand(s, k, d))).not.toEqual(forward);
  });
});
