/**
 * Days of cover and the stockout date: how long the on-hand lasts if the forecast sells.
 * Computed at read time from the current balance, so nothing here is stored in a projection
 * (rebuilds stay deterministic; "running out in N days" moves with the clock, not the log).
 */

export interface Cover {
  /** Days until the forecast demand uses up `onHand` (fractional); null when nothing is forecast to sell. */
  readonly daysOfCover: number | null;
  /** The day the cumulative forecast reaches `onHand`, when that is within the horizon. */
  readonly stockoutDate?: string;
}

const DAY_MS = 86_400_000;
const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * `daily[i]` is the forecast for `firstDate` + i days. Beyond the horizon the mean daily rate
 * carries on, so a long cover is still a number. Nothing on hand: 0 days, out today.
 */
export function coverOf(onHand: number, daily: readonly number[], firstDate: string): Cover {
  if (onHand <= 0) return { daysOfCover: 0, stockoutDate: firstDate };
  let left = onHand;
  for (let i = 0; i < daily.length; i += 1) {
    const demand = daily[i]!;
    if (demand >= left && demand > 0) return { daysOfCover: i + left / demand, stockoutDate: addDays(firstDate, i) };
    left -= demand;
  }
  const rate = daily.length === 0 ? 0 : daily.reduce((a, b) => a + b, 0) / daily.length;
  if (rate <= 0) return { daysOfCover: null };
  return { daysOfCover: daily.length + left / rate };
}

export { addDays };
