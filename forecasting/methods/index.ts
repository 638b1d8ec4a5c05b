/** The candidate methods the chooser tries, in the order that breaks ties (simplest first). */
import { HOLT_WINTERS_MIN_HISTORY, holtWinters } from './holt-winters';
import { crostonSba, tsb } from './intermittent';
import { seasonalNaive, WEEK } from './seasonal-naive';

export const methodNames = ['seasonal_naive', 'croston_sba', 'tsb', 'holt_winters'] as const;
export type MethodName = (typeof methodNames)[number];

export interface ForecastMethod {
  readonly name: MethodName;
  /** Fewest observations the method can be fitted on. */
  readonly minHistory: number;
  forecast(y: readonly number[], h: number): number[];
}

export const methods: readonly ForecastMethod[] = [
  { name: 'seasonal_naive', minHistory: WEEK, forecast: (y, h) => seasonalNaive(y, h) },
  { name: 'croston_sba', minHistory: 1, forecast: (y, h) => crostonSba(y, h) },
  { name: 'tsb', minHistory: 1, forecast: (y, h) => tsb(y, h) },
  { name: 'holt_winters', minHistory: HOLT_WINTERS_MIN_HISTORY, forecast: (y, h) => holtWinters(y, h) },
];

export function methodByName(name: MethodName): ForecastMethod {
  const found = methods.find((m) => m.name === name);
  if (!found) throw new RangeError(`unknown method ${name}`);
  return found;
}
