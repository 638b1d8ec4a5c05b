/**
 * Query strings and answers of the forecast routes (CONTRACT.md, Purchasing:
 * `GET /api/forecast?locationId&sku&days`) and of the chain overview.
 */
import { id, position, sku } from './common';

const format = { type: 'string', enum: ['json', 'csv'], description: 'csv: the daily rows as a CSV table (or send Accept: text/csv)' } as const;
const minPosition = { ...position, description: 'wait (at most 5 s) until the read models include this position' } as const;
const date = { type: 'string', format: 'date' } as const;
const num = { type: 'number' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const int = { type: 'integer' } as const;
const method = { type: 'string', enum: ['seasonal_naive', 'croston_sba', 'tsb', 'holt_winters'] } as const;

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

export const ForecastQuery = {
  type: 'object', additionalProperties: false, required: ['locationId', 'sku'],
  properties: {
    locationId: id, sku,
    days: { type: 'integer', minimum: 1, maximum: 90, default: 14, description: 'days to forecast from today (1-90)' },
    alertDays: { type: 'integer', minimum: 1, maximum: 90, default: 7, description: 'raise `runningOut` when the stock is forecast to last fewer days than this' },
    minPosition, format,
  },
} as const;

export const ForecastAnswer = object({
  locationId: id, sku,
  daily: { type: 'array', items: object({ date, quantity: num, low: num, high: num }, ['date', 'quantity', 'low', 'high'] as const) },
  method,
  backtest: object({ mase: nullableNumber, bias: num, coverage: nullableNumber, origins: int }, ['mase', 'bias', 'coverage'] as const),
  candidates: { type: 'array', items: object({ method, mase: nullableNumber }, ['method', 'mase'] as const) },
  onHand: int,
  daysOfCover: nullableNumber,
  stockoutDate: date,
  runningOut: object({ inDays: int, date, message: { type: 'string' } }, ['inDays', 'date', 'message'] as const),
  history: { type: 'array', items: object({ date, quantity: int }, ['date', 'quantity'] as const) },
  position,
}, ['locationId', 'sku', 'daily', 'method', 'backtest', 'daysOfCover', 'onHand', 'history', 'position'] as const);

export const ReorderPointQuery = {
  type: 'object', additionalProperties: false, required: ['locationId', 'sku', 'leadTimeDays'],
  properties: {
    locationId: id, sku,
    leadTimeDays: { type: 'integer', minimum: 1, maximum: 90, description: "the supplier's lead time in days" },
    serviceLevel: { type: 'number', exclusiveMinimum: 0.5, exclusiveMaximum: 1, default: 0.95, description: 'probability of not running out during the lead time' },
    reviewDays: { type: 'integer', minimum: 1, maximum: 30, default: 7, description: 'days between orders (order-up-to covers them)' },
    minPosition,
  },
} as const;

export const ReorderPointAnswer = object({
  locationId: id, sku, leadTimeDays: int, serviceLevel: num, reviewDays: int, method,
  reorderPoint: int, orderUpTo: int, safetyStock: num, leadTimeDemand: num, onHand: int, reason: { type: 'string' }, position,
}, ['locationId', 'sku', 'leadTimeDays', 'serviceLevel', 'method', 'reorderPoint', 'orderUpTo', 'safetyStock', 'leadTimeDemand', 'reason', 'position'] as const);

export const RunningOutQuery = {
  type: 'object', additionalProperties: false,
  properties: { locationId: id, minPosition, format },
} as const;

export const RunningOutAnswer = object({
  asOf: { type: 'string', format: 'date-time' },
  withinDays: int,
  items: {
    type: 'array',
    items: object({ locationId: id, sku, onHand: int, daysOfCover: num, stockoutDate: date, method }, ['locationId', 'sku', 'onHand', 'daysOfCover', 'method'] as const),
  },
  series: int,
  notEnoughHistory: int,
  position,
}, ['withinDays', 'items', 'series', 'notEnoughHistory', 'position'] as const);
