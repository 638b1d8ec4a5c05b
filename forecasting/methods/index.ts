/** The candidate methods the chooser tries, in the order that breaks ties (simplest first). */
import { fitHoltWinters, HOLT_WINTERS_MIN_HISTORY, holtWinters, holtWintersForecast, type HoltWintersParams } from './holt-winters';
import { crostonSba, tsb } from './intermittent';
import { seasonalNaive, WEEK } from './seasonal-naive';

export const methodNames = ['seasonal_naive', 'croston_sba', 'tsb', 'holt_winters'] as const;
export type MethodName = (typeof methodNames)[number];

export interface ForecastMethod {
  readonly name: MethodName;
  /** Fewest observations the method can be fitted on. */
  readonly minHistory: number;
  forecast(y: readonly number[], h: number): number[];
  /** The parameters `forecast` would fit on `y` (undefined for methods without any). */
  fit(y: readonly number[]): unknown;
  /** Forecasts with parameters fitted before (on `y` or on an earlier part of it). */
  forecastWith(y: readonly number[], h: number, params: unknown): number[];
}

const fixed = (forecast: (y: readonly number[], h: number) => number[]) => ({ forecast, fit: () => undefined, forecastWith: (y: readonly number[], h: number) => forecast(y, h) });

export const methods: readonly ForecastMethod[] = [
  { name: 'seasonal_naive', minHistory: WEEK, ...fixed((y, h) => seasonalNaive(y, h)) },
  { name: 'croston_sba', minHistory: 1, ...fixed((y, h) => crostonSba(y, h)) },
  { name: 'tsb', minHistory: 1, ...fixed((y, h) => tsb(y, h)) },
  {
    name: 'holt_winters', minHistory: HOLT_WINTERS_MIN_HISTORY, forecast: (y, h) => holtWinters(y, h),
    fit: (y) => fitHoltWinters(y), forecastWith: (y, h, params) => holtWintersForecast(y, h, params as HoltWintersParams),
  },
];

export function methodByName(name: MethodName): ForecastMethod {
  const found = methods.find((m) => m.name === name);
  if (!found) throw new RangeError(`unknown method ${name}`);
  return found;
}
