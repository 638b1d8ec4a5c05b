/**
 * The stable column lists of the exports (docs/exports.md). Columns are only ever added at the
 * end; a column whose value a caller may not see (costs) or that does not apply to a row stays
 * in place, empty. Names beside codes; money as an amount in `currency` (`25.00`, JPY `2500`),
 * never in minor units, with the currency named in its own column.
 */
import type { LedgerDoc } from '../../projections/models/collections';
import type { RecordedEvent } from '../../write-side/eventstore/port';
import { moneyAmount } from '../csv';

/** An amount in the currency as a JSON/CSV number (`2500` cents USD: 25; JPY 2500: 2500). */
const amount = (minor: number | undefined, currency: string): number | undefined => {
  const text = moneyAmount(minor, currency);
  return text === undefined ? undefined : Number(text);
};
import type { Names } from '../names';
import type { ExportColumn } from './export-format';
import { encodeExportCursor } from './cursor';
import type { DailySalesRow, StockRow } from './sources';

const column = <R>(name: string, cell: (row: R) => unknown): ExportColumn<R> => ({ name, cell });

export function movementColumns(names: Names): ExportColumn<LedgerDoc>[] {
  return [
    column('cursor', (r) => encodeExportCursor('m', r._id)),
    column('position', (r) => r.position),
    column('occurredAt', (r) => r.occurredAt),
    column('recordedAt', (r) => r.recordedAt),
    column('type', (r) => r.type),
    column('locationId', (r) => r.locationId),
    column('locationName', (r) => names.location(r.locationId) ?? ''),
    column('sku', (r) => r.sku),
    column('productName', (r) => names.product(r.sku)?.name ?? ''),
    column('quantity', (r) => r.quantity),
    column('balance', (r) => r.balance),
    column('effective', (r) => r.effective),
    column('actor', (r) => r.actor),
    column('source', (r) => r.source),
    column('reference', (r) => r.reference),
    column('reason', (r) => r.reason),
    column('note', (r) => r.note),
    column('transferId', (r) => r.transferId),
  ];
}

export function stockColumns(names: Names, options: { at: string; costs: boolean; currency: string }): ExportColumn<StockRow>[] {
  const locationId = (r: StockRow): string => (r.live ?? r.asOf)!.locationId;
  const sku = (r: StockRow): string => (r.live ?? r.asOf)!.sku;
  return [
    column('cursor', (r) => encodeExportCursor('s', r.key)),
    column('asOf', () => options.at),
    column('locationId', locationId),
    column('locationName', (r) => names.location(locationId(r)) ?? ''),
    column('sku', sku),
    column('productName', (r) => names.product(sku(r))?.name ?? ''),
    column('onHand', (r) => (r.live ?? r.asOf)!.onHand),
    // In transit and value are known now, not for a past instant: empty in an `asOf` export.
    column('inTransitIn', (r) => r.live?.inTransitIn),
    column('inTransitOut', (r) => r.live?.inTransitOut),
    column('reorderPoint', (r) => r.live?.reorderPoint ?? names.product(sku(r))?.reorderPoint),
    column('lastCountAt', (r) => r.live?.lastCountAt ?? r.asOf?.countedAt),
    column('value', (r) => (options.costs && r.live ? amount(r.live.value, options.currency) : undefined)),
    column('currency', () => options.currency),
  ];
}

export function dailySalesColumns(names: Names, options: { currency: string }): ExportColumn<DailySalesRow>[] {
  return [
    column('cursor', (r) => encodeExportCursor('d', r._id)),
    column('date', (r) => r.date),
    column('locationId', (r) => r.locationId),
    column('locationName', (r) => names.location(r.locationId) ?? ''),
    column('sku', (r) => r.sku),
    column('productName', (r) => names.product(r.sku)?.name ?? ''),
    column('sold', (r) => r.sold),
    column('returned', (r) => r.returned),
    column('net', (r) => r.sold - r.returned),
    column('costOfGoodsSold', (r) => amount(r.cogs, options.currency)),
    column('currency', () => options.currency),
  ];
}

export function eventColumns(): ExportColumn<RecordedEvent>[] {
  const time = (e: RecordedEvent, key: 'recordedAt' | 'occurredAt'): unknown => (e.data as Record<string, unknown>)[key];
  return [
    column('cursor', (e) => encodeExportCursor('e', e.position.toString())),
    column('position', (e) => e.position.toString()),
    column('recordedAt', (e) => time(e, 'recordedAt')),
    column('occurredAt', (e) => time(e, 'occurredAt')),
    column('streamId', (e) => e.streamId),
    column('revision', (e) => e.revision.toString()),
    column('type', (e) => e.type),
    // CSV: the JSON text in one cell; NDJSON: the objects themselves.
    column('data', (e) => e.data),
    column('metadata', (e) => e.metadata),
  ];
}
