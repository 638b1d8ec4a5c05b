/**
 * Units sold and returned per (SKU, location, day of occurredAt), for trends and forecasts.
 * Keyed by when the sale happened, so a till that was offline for hours still lands its
 * sales in the right day. Demand counts even when a count absorbed the on-hand effect.
 */
import type { SyncUnitOfWork } from '../runner/sync-fold';
import { COLLECTIONS, type DailySalesDoc } from './collections';
import { dayOf } from './keys';

export const dailySalesKey = (sku: string, locationId: string, date: string): string => `${sku}|${locationId}|${date}`;

export function recordDailySales(
  uow: SyncUnitOfWork,
  kind: 'sold' | 'returned',
  data: { locationId: string; occurredAt: string; lines: readonly { sku: string; quantity: number }[] },
): void {
  const date = dayOf(data.occurredAt);
  for (const line of data.lines) {
    const id = dailySalesKey(line.sku, data.locationId, date);
    const doc = uow.get<DailySalesDoc>(COLLECTIONS.dailySales, id) ?? {
      _id: id, sku: line.sku, locationId: data.locationId, date, sold: 0, returned: 0,
    };
    uow.put(COLLECTIONS.dailySales, { ...doc, [kind]: doc[kind] + line.quantity });
  }
}
