/**
 * Seasonal naive: tomorrow sells what the same weekday sold last week. The benchmark every
 * other method must beat (MASE is scaled by its in-sample error).
 */
export const WEEK = 7;

/** `h` forecasts after the end of `y` (needs at least one week of history). */
export function seasonalNaive(y: readonly number[], h: number, period = WEEK): number[] {
  if (y.length < period) throw new RangeError(`seasonal naive needs ${period} observations, got ${y.length}`);
  const out: number[] = [];
  for (let i = 0; i < h; i += 1) out.push(y[y.length - period + (i % period)]!);
  return out;
}
