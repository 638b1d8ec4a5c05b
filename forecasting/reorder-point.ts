/**
 * Forecast-driven replenishment figures for one (location, SKU), a periodic-review order-up-to
 * policy with safety stock against both forecast error and lead-time variation (Silver, Pyke &
 * Peterson, "Inventory Management and Production Planning and Scheduling", §7.9):
 *
 *   P             = lead time + the interval until the next review (the protection period:
 *                   an order placed at the next look arrives only after P days)
 *   reorder point = expected demand over P + z(service level) · √(P · σ² + d̄² · σ_L²)
 *   order-up-to   = reorder point + expected demand over the order cycle (`reviewDays`)
 *
 * where the expected demand is the sum of the daily forecasts, σ the forecast's root mean
 * squared backtest error per day (errors of successive days taken as independent), d̄ the
 * mean daily forecast over P and σ_L the standard deviation of the lead time in days. With
 * no review interval and no lead-time variation this is demand over L + z · σ · √L.
 * Whole units, rounded up: a reorder point of 7.2 means "order when 8 are left" would be one
 * too late, so 8. Pure: the purchasing capability plugs it in through `ReorderPointProvider`.
 */
import { normalQuantile } from './stats';

export const DEFAULT_SERVICE_LEVEL = 0.95;
export const DEFAULT_REVIEW_DAYS = 7;

export interface ReorderInput {
  /** Daily forecasts from today, at least leadTimeDays + reviewDays long. */
  readonly daily: readonly number[];
  /** Root mean squared forecast error, units a day. */
  readonly rmse: number;
  readonly leadTimeDays: number;
  /** Standard deviation of the lead time in days (observed deliveries); default 0. */
  readonly leadTimeSdDays?: number;
  /** Days until the next review, added to the lead time for the reorder point; default 0 (continuous review). */
  readonly reviewIntervalDays?: number;
  readonly serviceLevel?: number;
  /** The order cycle: days of demand the order-up-to level holds above the reorder point. */
  readonly reviewDays?: number;
  readonly method: string;
}

export interface ReorderFigures {
  readonly reorderPoint: number;
  readonly orderUpTo: number;
  readonly safetyStock: number;
  readonly leadTimeDemand: number;
  readonly serviceLevel: number;
  readonly reason: string;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export function reorderFigures(input: ReorderInput): ReorderFigures {
  const serviceLevel = input.serviceLevel ?? DEFAULT_SERVICE_LEVEL;
  const reviewDays = input.reviewDays ?? DEFAULT_REVIEW_DAYS;
  const lead = input.leadTimeDays;
  const interval = input.reviewIntervalDays ?? 0;
  const leadSd = input.leadTimeSdDays ?? 0;
  const protection = lead + interval;
  if (input.daily.length < protection + reviewDays) throw new RangeError(`need ${protection + reviewDays} daily forecasts, got ${input.daily.length}`);
  const leadTimeDemand = sum(input.daily.slice(0, protection));
  const reviewDemand = sum(input.daily.slice(protection, protection + reviewDays));
  const perDay = protection === 0 ? 0 : leadTimeDemand / protection;
  const sigma = Math.sqrt(protection * input.rmse ** 2 + perDay ** 2 * leadSd ** 2);
  const safetyStock = Math.max(0, normalQuantile(serviceLevel) * sigma);
  const reorderPoint = Math.ceil(leadTimeDemand + safetyStock - 1e-9);
  const orderUpTo = Math.max(reorderPoint, Math.ceil(leadTimeDemand + safetyStock + reviewDemand - 1e-9));
  const over = `${lead} d lead time${leadSd > 0 ? ` (sd ${leadSd.toFixed(1)} d)` : ''}${interval > 0 ? ` + ${interval} d to the next review` : ''}`;
  const reason = `forecast (${input.method}) ${leadTimeDemand.toFixed(1)} units over ${over}`
    + ` + safety ${safetyStock.toFixed(1)} at ${Math.round(serviceLevel * 1000) / 10} % service; up to ${reviewDays} d more demand`;
  return { reorderPoint, orderUpTo, safetyStock, leadTimeDemand, serviceLevel, reason };
}

/** What purchasing (issue 9) may ask for: the reorder point and order-up-to level of one series. */
export type ReorderPointProvider = (
  locationId: string,
  sku: string,
  options?: ReorderOptions,
) => Promise<{ reorderPoint: number; orderUpTo: number; reason: string } | undefined>;

/** What purchasing passes per series: the supplier's lead time (mean and spread), the review interval, the service level. */
export interface ReorderOptions {
  readonly leadTimeDays?: number;
  readonly leadTimeSdDays?: number;
  readonly reviewIntervalDays?: number;
  readonly serviceLevel?: number;
  /** The order cycle: days of demand the order-up-to level holds above the reorder point (default 7). */
  readonly reviewDays?: number;
}
