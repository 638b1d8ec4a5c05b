import { describe, expect, test } from 'vitest';
import { forecastSeries, forecastWith, MIN_HISTORY_DAYS, maseScale, originsOf, selectMethod } from './backtest';
import { holtWintersForecast, type HoltWintersParams } from './methods/holt-winters';
import { methodByName } from './methods/index';
import { normalQuantile, quantile } from './stats';
import { intermittentSeries, seasonalSeries, trendSeries } from './testing/synthetic';

describe('the backtest chooser', () => {
  test('uses up to four weekly origins, each with at least a week to fit on', () => {
    expect(originsOf(14)).toEqual([7]);
    expect(originsOf(20)).toEqual([13]);
    expect(originsOf(35)).toEqual([7, 14, 21, 28]);
    expect(originsOf(100)).toEqual([72, 79, 86, 93]);
  });

  test('MASE of seasonal naive on a series with a hand-computed backtest', () => {
    // Two weeks: 1..7 then 2..8. Scale (in-sample lag-7 MAE) = 1. One origin at day 7:
    // seasonal naive forecasts 1..7 for actuals 2..8, every error is +1: MAE 1, MASE 1, bias −1.
    const y = [1, 2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 7, 8];
    expect(maseScale(y)).toBe(1);
    const f = forecastSeries(y, 7, [methodByName('seasonal_naive')]);
    expect(f.method).toBe('seasonal_naive');
    expect(f.backtest).toEqual({ mase: 1, bias: -1, coverage: null, origins: 1 });
    expect(f.quantity).toEqual([2, 3, 4, 5, 6, 7, 8]);
    // every backtest error is +1, so the interval is [f + 1, f + 1]
    expect(f.low).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(f.high).toEqual(f.low);
  });

  test('refuses less than two weeks of history', () => {
    expect(() => forecastSeries(new Array<number>(MIN_HISTORY_DAYS - 1).fill(1), 7)).toThrow(RangeError);
  });

  test('beats seasonal naive on weekday seasonality with noise (20 seeded series)', () => {
    let chooser = 0;
    let naive = 0;
    for (let seed = 1; seed <= 20; seed += 1) {
      const y = seasonalSeries(120, seed);
      const f = forecastSeries(y, 7);
      const sn = f.candidates.find((c) => c.method === 'seasonal_naive')!;
      chooser += f.backtest.mase!;
      naive += sn.mase!;
    }
    expect(chooser / 20).toBeLessThan(0.9 * (naive / 20));
  });

  test('does not forecast a constant zero on intermittent demand', () => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const y = intermittentSeries(120, seed);
      const f = forecastSeries(y, 14);
      const rate = f.quantity.reduce((a, b) => a + b, 0) / f.quantity.length;
      // the forecast rate is in the neighbourhood of the true mean (0.2 × 2 = 0.4 a day)
      expect(rate).toBeGreaterThan(0.1);
      expect(rate).toBeLessThan(1.2);
    }
  });

  test('follows a trend: next week forecasts above the last month average, better than seasonal naive', () => {
    let chooser = 0;
    let naive = 0;
    let above = 0;
    for (let seed = 1; seed <= 20; seed += 1) {
      const y = trendSeries(120, seed);
      const f = forecastSeries(y, 7);
      chooser += f.backtest.mase!;
      naive += f.candidates.find((c) => c.method === 'seasonal_naive')!.mase!;
      const lastMonth = y.slice(-28).reduce((a, b) => a + b, 0) / 28;
      if (f.quantity.reduce((a, b) => a + b, 0) / 7 > lastMonth) above += 1;
    }
    expect(chooser).toBeLessThan(naive);
    expect(above).toBeGreaterThanOrEqual(15);
  });

  test('the 80 % interval covers roughly 80 % in the backtest and is ordered', () => {
    let coverage = 0;
    for (let seed = 1; seed <= 20; seed += 1) {
      const f = forecastSeries(seasonalSeries(120, seed), 28);
      coverage += f.backtest.coverage!;
      f.quantity.forEach((q, i) => {
        expect(f.low[i]!).toBeLessThanOrEqual(q + 1e-9);
        expect(f.high[i]!).toBeGreaterThanOrEqual(q - 1e-9);
      });
    }
    expect(coverage / 20).toBeGreaterThan(0.6);
    expect(coverage / 20).toBeLessThan(0.95);
  });
});

describe('statistics', () => {
  test('quantile interpolates between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 12);
  });
  test('normal quantiles of common service levels', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });

  test('a selection made on the whole weeks runs its method and parameters over the grown history', () => {
    // 100 days: the chooser sees the first 98; the forecast runs over all 100 with what it chose.
    const y = seasonalSeries(100, 3);
    const selection = selectMethod(y.slice(0, 98));
    expect(selection.method.name).toBe('holt_winters');
    const f = forecastWith(selection, y, 14);
    expect(f.quantity).toEqual(holtWintersForecast(y, 14, selection.params as HoltWintersParams));
    expect(f.quantity).not.toEqual(holtWintersForecast(y.slice(0, 98), 14, selection.params as HoltWintersParams));
    expect(f.rmse).toBe(selection.rmse);
    expect(f.backtest).toEqual(selection.backtest);
    // made on the whole history, it is exactly the chooser's own forecast
    expect(forecastWith(selectMethod(y), y, 14)).toEqual(forecastSeries(y, 14));
  });
});
