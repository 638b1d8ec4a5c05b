import { describe, expect, test } from 'vitest';
import { holtWinters, holtWintersForecast } from './holt-winters';
import { crostonSba, tsb } from './intermittent';
import { seasonalNaive } from './seasonal-naive';

describe('seasonal naive', () => {
  test('repeats the last week, weekday by weekday, past the first week', () => {
    const y = [9, 1, 2, 3, 4, 5, 6, 7, 8];
    // the last week is y[2..8] = 2..8; day 1 after the end is the weekday of y[2]
    expect(seasonalNaive(y, 9)).toEqual([2, 3, 4, 5, 6, 7, 8, 2, 3]);
  });
  test('refuses less than a week', () => {
    expect(() => seasonalNaive([1, 2, 3], 1)).toThrow(RangeError);
  });
});

describe('Holt-Winters (additive, damped)', () => {
  test('a level shift moves the level by α of the error (hand-computed)', () => {
    // Two flat weeks at 10: level 10, trend 0, seasonal terms 0. Then 14 arrives:
    // level = 0.5·14 + 0.5·10 = 12; with β = γ = 0 nothing else moves.
    const y = [...new Array<number>(14).fill(10), 14];
    expect(holtWintersForecast(y, 2, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 })).toEqual([12, 12]);
  });
  test('a purely weekly pattern is forecast exactly', () => {
    const week = [3, 4, 5, 6, 9, 12, 7];
    const y = [...week, ...week, ...week, ...week];
    const forecast = holtWinters(y, 7);
    forecast.forEach((f, i) => expect(f).toBeCloseTo(week[i]!, 9));
  });
  test('never forecasts negative sales', () => {
    const y = [20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0, 0, 0, 0, 0];
    expect(Math.min(...holtWinters(y, 14))).toBeGreaterThanOrEqual(0);
  });
});

describe('Croston with the SBA correction', () => {
  test('smooths sizes and intervals separately (hand-computed)', () => {
    // First demand 3 after 3 days: z = 3, p = 3. Next demand 2 after 2 days:
    // z = 0.1·2 + 0.9·3 = 2.9, p = 0.1·2 + 0.9·3 = 2.9. Forecast (1 − 0.05)·2.9/2.9 = 0.95.
    const forecast = crostonSba([0, 0, 3, 0, 2], 3);
    forecast.forEach((f) => expect(f).toBeCloseTo(0.95, 12));
  });
  test('forecasts 0 for a series that never sold', () => {
    expect(crostonSba([0, 0, 0], 2)).toEqual([0, 0]);
  });
});

describe('TSB', () => {
  test('smooths the demand probability every day (hand-computed)', () => {
    // y = [0, 2, 0, 0]: start d = 1/4, z = 2.
    // day 0 (0): d = 0.25 − 0.1·0.25 = 0.225; day 1 (2): d = 0.225 + 0.1·0.775 = 0.3025, z = 2;
    // day 2 (0): d = 0.27225; day 3 (0): d = 0.245025. Forecast d·z = 0.49005.
    expect(tsb([0, 2, 0, 0], 1)[0]).toBeCloseTo(0.49005, 12);
  });
  test('decays towards zero after demand stops, where Croston keeps its rate', () => {
    const y = [...new Array<number>(20).fill(0).map((_, i) => (i % 2 === 0 ? 2 : 0)), ...new Array<number>(40).fill(0)];
    expect(tsb(y, 1)[0]!).toBeLessThan(crostonSba(y, 1)[0]! / 5);
  });
});
