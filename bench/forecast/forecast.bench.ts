/**
 * Forecast accuracy and speed on synthetic series with a known structure (forecasting/testing):
 * - accuracy: the rolling-origin backtest's MASE per method and for the chooser, per kind of
 *   series (weekday seasonality + noise, intermittent, trend), each compared with seasonal
 *   naive measured on the same series; the backtest MASE of the chosen method is optimistic
 *   (it chose on that window), so the chooser is also scored on a held-out final week it never
 *   saw (`holdout` rows; `forecast.mase` in the summary is that one);
 * - speed: choosing and forecasting (28 days) 10,000 series, against seasonal naive alone on
 *   the same series in the same run.
 */
import { performance } from 'node:perf_hooks';
import { forecastSeries, maseScale } from '../../forecasting/backtest';
import { seasonalNaive } from '../../forecasting/methods/seasonal-naive';
import { methodByName, methodNames, methods } from '../../forecasting/methods/index';
import { seriesKinds, syntheticSeries } from '../../forecasting/testing/synthetic';
import { comparedRow, type BenchRow } from '../bench-row';

export interface ForecastBenchSize {
  /** Series per kind for the accuracy rows. */
  readonly accuracySeries: number;
  /** Series forecast for the speed row. */
  readonly speedSeries: number;
  /** Days of history per series. */
  readonly days: number;
}
export const FULL: ForecastBenchSize = { accuracySeries: 200, speedSeries: 10_000, days: 120 };
export const QUICK: ForecastBenchSize = { accuracySeries: 30, speedSeries: 1_000, days: 120 };

const meanOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export async function benchForecast(size: ForecastBenchSize = FULL): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const chooserAll: number[] = [];
  const holdoutAll = { chooser: [] as number[], naive: [] as number[] };
  for (const [k, kind] of seriesKinds.entries()) {
    const mase = new Map<string, number[]>([...methodNames, 'chooser'].map((m) => [m, []]));
    const holdout = { chooser: [] as number[], naive: [] as number[] };
    for (let i = 0; i < size.accuracySeries; i += 1) {
      const y = syntheticSeries(kind, size.days, 1_000_000 * (k + 1) + i);
      const train = y.slice(0, -7);
      const test = y.slice(-7);
      const scale = maseScale(train);
      if (scale > 0) {
        const mae = (f: readonly number[]) => meanOf(test.map((a, j) => Math.abs(a - f[j]!)));
        holdout.chooser.push(mae(forecastSeries(train, 7).quantity) / scale);
        holdout.naive.push(mae(seasonalNaive(train, 7)) / scale);
      }
      const chosen = forecastSeries(y, 7);
      if (chosen.backtest.mase === null) continue; // a constant series has no MASE scale
      mase.get('chooser')!.push(chosen.backtest.mase);
      chooserAll.push(chosen.backtest.mase);
      for (const c of chosen.candidates) if (c.mase !== null) mase.get(c.method)!.push(c.mase);
    }
    const naive = meanOf(mase.get('seasonal_naive')!);
    for (const [method, values] of mase) {
      const name = `forecast.mase.${kind}.${method}`;
      rows.push(method === 'seasonal_naive'
        ? { name, value: r3(meanOf(values)), unit: 'MASE' }
        : comparedRow(name, r3(meanOf(values)), 'MASE', `forecast.mase.${kind}.seasonal_naive`, naive));
    }
    rows.push({ name: `forecast.holdout.${kind}.seasonal_naive`, value: r3(meanOf(holdout.naive)), unit: 'MASE, held-out week' });
    rows.push(comparedRow(`forecast.holdout.${kind}.chooser`, r3(meanOf(holdout.chooser)), 'MASE, held-out week', `forecast.holdout.${kind}.seasonal_naive`, meanOf(holdout.naive)));
    holdoutAll.chooser.push(...holdout.chooser);
    holdoutAll.naive.push(...holdout.naive);
  }
  rows.push({ name: 'forecast.backtestMase', value: r3(meanOf(chooserAll)), unit: 'MASE (chosen method, backtest)' });
  rows.push({ name: 'forecast.holdout.seasonal_naive', value: r3(meanOf(holdoutAll.naive)), unit: 'MASE, held-out week' });
  rows.push(comparedRow('forecast.mase', r3(meanOf(holdoutAll.chooser)), 'MASE, held-out week (chooser)', 'forecast.holdout.seasonal_naive', meanOf(holdoutAll.naive)));

  // Speed: the same mixed series for both, generated before the clock starts.
  const series = Array.from({ length: size.speedSeries }, (_, i) => syntheticSeries(seriesKinds[i % seriesKinds.length]!, size.days, 7_000_000 + i));
  const naive = [methodByName('seasonal_naive')];
  let t = performance.now();
  for (const y of series) forecastSeries(y, 28, naive);
  const naivePerSec = size.speedSeries / ((performance.now() - t) / 1000);
  t = performance.now();
  let checksum = 0;
  for (const y of series) checksum += forecastSeries(y, 28, methods).quantity[0]!;
  const seconds = (performance.now() - t) / 1000;
  if (!Number.isFinite(checksum)) throw new Error('a forecast was not a number');
  rows.push({ name: 'forecast.seasonalNaiveSeriesPerSec', value: Math.round(naivePerSec), unit: 'series/s' });
  rows.push(comparedRow('forecast.seriesPerSec', Math.round(size.speedSeries / seconds), 'series/s', 'forecast.seasonalNaiveSeriesPerSec', naivePerSec));
  rows.push({ name: `forecast.seconds.${size.speedSeries}Series`, value: Math.round(seconds * 100) / 100, unit: 's' });
  return rows;
}

/** The headline figures of CONTRACT.md's `summary` (absent when the benchmark did not run). */
export function forecastSummary(rows: readonly BenchRow[]): Record<string, number> {
  const pick = (name: string) => rows.find((r) => r.name === name)?.value;
  const seriesPerSec = pick('forecast.seriesPerSec');
  const mase = pick('forecast.mase');
  return { ...(seriesPerSec !== undefined && { 'forecast.seriesPerSec': seriesPerSec }), ...(mase !== undefined && { 'forecast.mase': mase }) };
}
