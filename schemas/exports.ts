/**
 * Query strings of the bulk exports (read-api/exports/). The same filter names as every list
 * (`locationId`, `sku`, `from`, `to`) and the same paging words (`cursor`, `limit`); an unknown
 * parameter, a malformed instant or an unknown format is a 400 naming the field.
 */
import { id, position, sku, timestamp } from './common';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const format = {
  type: 'string', enum: EXPORT_FORMATS,
  description: 'csv (default) or ndjson; or send Accept: text/csv / application/x-ndjson',
} as const;
const instant = (what: string) => ({ ...timestamp, description: what }) as const;
const cursor = {
  type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$',
  description: 'resume after the row that carried this `cursor` (every row carries one)',
} as const;
const limit = { type: 'integer', minimum: 1, maximum: 10_000_000, description: 'at most this many rows (default: every row)' } as const;
const minPosition = { ...position, description: 'wait (at most 5 s) until the read models include this position' } as const;

const query = <const P extends Record<string, unknown>>(properties: P) =>
  ({ type: 'object', additionalProperties: false, properties: { ...properties, format, cursor, limit, minPosition } }) as const;

export const MovementsExportQuery = query({
  locationId: id, sku,
  from: instant('movements that occurred at or after this instant'),
  to: instant('movements that occurred before this instant'),
});

export const StockExportQuery = query({
  locationId: id, sku,
  asOf: instant('balances at this instant (default: now, with FIFO value for callers who see costs)'),
});

export const DailySalesExportQuery = query({
  locationId: id, sku,
  from: instant('UTC days whose midnight is at or after this instant'),
  to: instant('UTC days whose midnight is before this instant'),
});

export const EventsExportQuery = query({
  from: instant('events recorded at or after this instant'),
  to: instant('events recorded before this instant'),
});
