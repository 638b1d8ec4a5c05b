/** Query strings and answers of the chain overview and the sales insights (the landing page and charts). */
import { id, money, position, sku, timestamp } from './common';

const minPosition = { ...position, description: 'wait (at most 5 s) until the read models include this position' } as const;
const format = { type: 'string', enum: ['json', 'csv'] } as const;
const date = { type: 'string', format: 'date' } as const;
const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

export const OverviewQuery = { type: 'object', additionalProperties: false, properties: { minPosition, format } } as const;

const locationRow = object({
  locationId: id, name: str, type: str, stockValue: money, skus: int, stockouts: int, lowStock: int,
  salesToday: int, salesSameDayLastWeek: int,
// stockValue is absent for a principal who may not see costs (staff without view_costs).
}, ['locationId', 'name', 'type', 'skus', 'stockouts', 'lowStock', 'salesToday', 'salesSameDayLastWeek'] as const);

export const OverviewAnswer = object({
  today: date,
  sameDayLastWeek: date,
  totals: object({
    stockValue: money, stockouts: int, lowStock: int, salesToday: int, salesSameDayLastWeek: int, overdueTransfers: int, openAlerts: int,
  }, ['stockouts', 'lowStock', 'salesToday', 'salesSameDayLastWeek', 'overdueTransfers', 'openAlerts'] as const),
  locations: { type: 'array', items: locationRow },
  overdueTransfers: {
    type: 'array',
    items: object({ transferId: id, fromLocationId: id, toLocationId: id, dispatchedAt: timestamp }, ['transferId', 'fromLocationId', 'toLocationId', 'dispatchedAt'] as const),
  },
  pos: {
    type: 'array',
    items: object({
      connectionId: id, kind: str, disabled: { type: 'boolean' }, lastDeliveryAt: timestamp, quarantined: int, locations: { type: 'array', items: id },
    }, ['connectionId', 'kind', 'disabled', 'quarantined', 'locations'] as const),
  },
  position,
}, ['today', 'sameDayLastWeek', 'totals', 'locations', 'overdueTransfers', 'pos', 'position'] as const);

export const PosEventsQuery = {
  type: 'object', additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 }, minPosition, format },
} as const;
export const PosEventsAnswer = object({
  items: {
    type: 'array',
    items: object({
      position, occurredAt: timestamp, recordedAt: timestamp, type: str, locationId: id, sku, quantity: int, balance: int, connectionId: str, source: str,
    }, ['position', 'occurredAt', 'recordedAt', 'type', 'locationId', 'sku', 'quantity', 'balance', 'connectionId', 'source'] as const),
  },
  position,
}, ['items', 'position'] as const);

export const SalesQuery = {
  type: 'object', additionalProperties: false,
  properties: {
    from: { ...date, description: 'first UTC day (default: 29 days before today)' },
    to: { ...date, description: 'last UTC day, inclusive (default: today)' },
    locationId: id, sku, minPosition, format,
  },
} as const;
export const SalesAnswer = object({
  from: date, to: date,
  byDay: { type: 'array', items: object({ date, sold: int, returned: int }, ['date', 'sold', 'returned'] as const) },
  bySku: { type: 'array', items: object({ sku, sold: int, returned: int }, ['sku', 'sold', 'returned'] as const) },
  byLocation: { type: 'array', items: object({ locationId: id, sold: int, returned: int }, ['locationId', 'sold', 'returned'] as const) },
  position,
}, ['from', 'to', 'byDay', 'bySku', 'byLocation', 'position'] as const);
