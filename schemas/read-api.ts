/**
 * Query strings and answers of the read API (CONTRACT.md, Reads). Fastify validates query
 * strings with these objects (coercing text to numbers) and serializes answers with them,
 * and @fastify/swagger documents them.
 */
import { id, money, position, sku, timestamp } from './common';

const format = { type: 'string', enum: ['json', 'csv'], description: 'csv: the same answer as a CSV table (or send Accept: text/csv)' } as const;
const minPosition = { ...position, description: 'wait (at most 5 s) until the read models include this position' } as const;
const date = { type: 'string', format: 'date' } as const;
const int = { type: 'integer' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;

const query = <const P extends Record<string, unknown>>(properties: P) =>
  ({ type: 'object', additionalProperties: false, properties: { ...properties, minPosition, format } }) as const;
const answer = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required: [...required, 'position'], properties: { ...properties, position } }) as const;
const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

/** List conventions (read-api/list-query.ts): search, sort, page. Without `limit` a list answers every row. */
const q = { type: 'string', maxLength: 200, description: 'search: case-insensitive, partial; every word must match the SKU, product name, barcode or location' } as const;
const limit = { type: 'integer', minimum: 1, maximum: 1000, description: 'page size; absent: every row' } as const;
const pageCursor = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: '`nextCursor` of the previous page' } as const;
const statusValues = '(ok|low|out|negative)';
export const stockSortColumns = ['location', 'sku', 'name', 'onHand', 'inTransitIn', 'inTransitOut', 'reorderPoint', 'value', 'status'] as const;
export const StockQuery = query({
  locationId: id, sku, asOf: timestamp, q,
  status: { type: 'string', pattern: `^${statusValues}(,${statusValues})*$`, description: 'comma-separated: negative (below 0), out (0), low (at or under the reorder point), ok' },
  sort: { type: 'string', enum: [...stockSortColumns, ...stockSortColumns.map((c) => `-${c}` as const)], description: 'column to sort by; a leading minus sorts descending (default: location, then SKU)' },
  limit, cursor: pageCursor,
});
export const StockItem = object(
  {
    locationId: id, sku, onHand: int, inTransitIn: int, inTransitOut: int, reorderPoint: int, value: money, lastCountAt: timestamp, countedAt: timestamp,
    /** Names beside codes (issue 16). */
    productName: { type: 'string' }, locationName: { type: 'string' },
    status: { type: 'string', enum: ['negative', 'out', 'low', 'ok'] },
  },
  ['locationId', 'sku', 'onHand', 'inTransitIn', 'inTransitOut'] as const,
);
export const StockAnswer = answer({
  items: { type: 'array', items: StockItem }, asOf: timestamp,
  /** Rows matching the filters (all pages). */
  total: int,
  nextCursor: { type: 'string' },
}, ['items'] as const);

export const TotalsQuery = query({ by: { type: 'string', enum: ['location', 'sku'], default: 'location' }, locationId: id, sku });
export const TotalsAnswer = answer({
  by: { type: 'string', enum: ['location', 'sku'] },
  items: {
    type: 'array',
    items: object(
      { key: { type: 'string' }, onHand: int, inTransitIn: int, inTransitOut: int, value: int },
      // `value` is absent for a caller who does not see costs (server/http/access.ts seesCosts).
      ['key', 'onHand', 'inTransitIn', 'inTransitOut'] as const,
    ),
  },
}, ['by', 'items'] as const);

export const MovementsQuery = query({
  locationId: id, sku, q,
  sort: { type: 'string', enum: ['position', '-occurredAt'], default: 'position', description: 'position: log order (oldest first); -occurredAt: newest first by when it happened' },
  limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'page size (default 100; a CSV answer without `limit` holds every matching row, up to 50,000)' },
  cursor: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' },
});
export const Movement = object({
  position, occurredAt: timestamp, recordedAt: timestamp,
  type: { type: 'string', enum: ['receipt', 'sale', 'return', 'adjustment', 'count', 'transfer_out', 'transfer_in', 'transfer_shortfall'] },
  locationId: id, sku, quantity: int, balance: int, actor: { type: 'string' }, source: { type: 'string' }, reference: { type: 'string' },
  effective: { type: 'boolean' }, countedQuantity: int, lost: int, transferId: id,
  /** Adjustments: the reason and the note typed with it. Names beside codes. */
  reason: { type: 'string' }, note: { type: 'string' }, productName: { type: 'string' }, locationName: { type: 'string' },
}, ['position', 'occurredAt', 'recordedAt', 'type', 'locationId', 'sku', 'quantity', 'balance', 'actor', 'source', 'effective'] as const);
export const MovementsAnswer = answer({ items: { type: 'array', items: Movement }, nextCursor: { type: 'string' } }, ['items'] as const);

const bucket = object(
  { bucket: { type: 'string', enum: ['0-30', '31-60', '61-90', '90+'] }, quantity: int, value: int },
  // `value` is absent for a caller who does not see costs.
  ['bucket', 'quantity'] as const,
);
export const AgingQuery = query({ locationId: id, asOf: timestamp });
export const AgingAnswer = answer({
  asOf: timestamp,
  buckets: { type: 'array', items: bucket },
  items: { type: 'array', items: object({ locationId: id, sku, buckets: { type: 'array', items: bucket } }, ['locationId', 'sku', 'buckets'] as const) },
}, ['asOf', 'buckets', 'items'] as const);

const figures = { cogs: int, averageInventoryValue: int, turnover: nullableNumber, daysOfInventory: nullableNumber } as const;
const figureKeys = ['cogs', 'averageInventoryValue', 'turnover', 'daysOfInventory'] as const;
export const TurnoverQuery = query({ from: date, to: date, locationId: id });
export const TurnoverAnswer = answer({
  from: date, to: date, days: int, ...figures,
  locations: { type: 'array', items: object({ locationId: id, ...figures }, ['locationId', ...figureKeys] as const) },
  items: { type: 'array', items: object({ locationId: id, sku, ...figures }, ['locationId', 'sku', ...figureKeys] as const) },
}, ['from', 'to', 'days', ...figureKeys, 'locations', 'items'] as const);

export const Alert = object({
  id: { type: 'string' },
  alertType: { type: 'string', enum: ['low_stock', 'negative_stock', 'transfer_overdue', 'pos_discrepancy', 'purchase_order_overdue'] },
  locationId: id, sku, transferId: id, message: { type: 'string' }, raisedAt: timestamp, lastPosition: position,
  details: { type: 'object', additionalProperties: true },
}, ['id', 'alertType', 'locationId', 'message', 'raisedAt'] as const);
export const AlertsQuery = query({ locationId: id, type: { type: 'string', enum: ['low_stock', 'negative_stock', 'transfer_overdue', 'pos_discrepancy', 'purchase_order_overdue'] } });
export const AlertsAnswer = answer({ items: { type: 'array', items: Alert } }, ['items'] as const);

const transferStatus = { type: 'string', enum: ['created', 'dispatched', 'partially_received', 'received', 'cancelled'] } as const;
const transferProperties = {
  id, fromLocationId: id, toLocationId: id, status: transferStatus,
  lines: {
    type: 'array',
    items: object({ sku, quantity: int, dispatched: int, received: int, shortfall: int }, ['sku', 'quantity', 'dispatched', 'received', 'shortfall'] as const),
  },
  createdAt: timestamp, dispatchedAt: timestamp, receivedAt: timestamp, cancelledAt: timestamp, reason: { type: 'string' },
  /** Position of the transfer's latest event. */
  lastPosition: position,
  /** Short number people can say (`TR-1042`), by creation order. */
  number: { type: 'string' },
} as const;
const transferRequired = ['id', 'fromLocationId', 'toLocationId', 'status', 'lines', 'createdAt', 'lastPosition'] as const;
export const Transfer = object(transferProperties, transferRequired);
export const TransfersQuery = query({ locationId: id, status: transferStatus });
export const TransfersAnswer = answer({ items: { type: 'array', items: Transfer } }, ['items'] as const);
export const TransferParams = object({ id }, ['id'] as const);
export const TransferAnswer = answer(transferProperties, transferRequired);

export const LocationsQuery = query({
  all: { type: 'boolean', description: 'every location of the chain (names for pickers: a manager may send a transfer anywhere); default: the caller\'s' },
});
export const LocationsAnswer = answer({
  items: { type: 'array', items: object({ id, name: { type: 'string' }, type: { type: 'string', enum: ['store', 'warehouse'] } }, ['id', 'name', 'type'] as const) },
}, ['items'] as const);
export const ProductsQuery = query({ sku, barcode: { type: 'string', minLength: 1, maxLength: 40 }, category: { type: 'string', minLength: 1, maxLength: 100 } });
export const ProductsAnswer = answer({
  items: {
    type: 'array',
    items: object({
      sku, name: { type: 'string' }, unitCost: money, reorderPoint: int,
      price: money, barcodes: { type: 'array', items: { type: 'string' } }, discontinued: { type: 'boolean' }, category: { type: 'string' },
    }, ['sku', 'name'] as const),
  },
}, ['items'] as const);

export const StreamQuery = object({ locationId: id, lastEventId: position, minPosition: position }, [] as const);
