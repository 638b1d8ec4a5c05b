/**
 * Forecast-driven replenishment figures for one (location, SKU):
 *
 *   reorder point = expected demand over the lead time + z(service level) · σ · √(lead time)
 *   order-up-to   = reorder point + expected demand over the review period
 *
 * where the expected demand is the sum of the daily forecasts and σ is the forecast's root
 * mean squared backtest error per day (errors of successive days taken as independent).
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
  readonly serviceLevel?: number;
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
  if (input.daily.length < lead + reviewDays) throw new RangeError(`need ${lead + reviewDays} daily forecasts, got ${input.daily.length}`);
  const leadTimeDemand = sum(input.daily.slice(0, lead));
  const reviewDemand = sum(input.daily.slice(lead, lead + reviewDays));
  const safetyStock = Math.max(0, normalQuantile(serviceLevel) * input.rmse * Math.sqrt(lead));
  const reorderPoint = Math.ceil(leadTimeDemand + safetyStock - 1e-9);
  const orderUpTo = Math.max(reorderPoint, Math.ceil(leadTimeDemand + safetyStock + reviewDemand - 1e-9));
  const reason = `forecast (${input.method}) ${leadTimeDemand.toFixed(1)} units over ${lead} d lead time`
    + ` + safety ${safetyStock.toFixed(1)} at ${Math.round(serviceLevel * 1000) / 10} % service; up to ${reviewDays} d more demand`;
  return { reorderPoint, orderUpTo, safetyStock, leadTimeDemand, serviceLevel, reason };
}

/** What purchasing (issue 9) may ask for: the reorder point and order-up-to level of one series. */
export type ReorderPointProvider = (
  locationId: string,
  sku: string,
  options?: { leadTimeDays?: number; serviceLevel?: number },
) => Promise<{ reorderPoint: number; orderUpTo: number; reason: string } | undefined>;
