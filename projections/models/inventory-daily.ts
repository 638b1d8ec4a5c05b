/**
 * Per (location, SKU, day): cost of goods sold and the closing inventory value, the inputs
 * of turnover. Both are filed under the day of the event's occurredAt; the closing value is
 * the value after that event, so a late event for an earlier day refreshes that day with
 * the value as it stands (an approximation we accept: exact history would need a replay).
 */
import type { SyncUnitOfWork } from '../runner/sync-fold';
import { COLLECTIONS, type InventoryDayDoc } from './collections';
import { stockKey } from './keys';

export const inventoryDayKey = (locationId: string, sku: string, day: string): string => `${stockKey(locationId, sku)}|${day}`;

function load(uow: SyncUnitOfWork, locationId: string, sku: string, day: string): InventoryDayDoc {
  const id = inventoryDayKey(locationId, sku, day);
  return uow.get<InventoryDayDoc>(COLLECTIONS.inventoryDaily, id) ?? { _id: id, locationId, sku, day, cogs: 0 };
}

export function addCogs(uow: SyncUnitOfWork, locationId: string, sku: string, day: string, delta: number): void {
  if (delta === 0) return;
  const doc = load(uow, locationId, sku, day);
  uow.put(COLLECTIONS.inventoryDaily, { ...doc, cogs: doc.cogs + delta });
}

export function setClosingValue(uow: SyncUnitOfWork, locationId: string, sku: string, day: string, value: number): void {
  const doc = load(uow, locationId, sku, day);
  uow.put(COLLECTIONS.inventoryDaily, { ...doc, closingValue: value });
}

/**
 * Both figures of one event in one read and one write (the rebuild's hottest path): the
 * same document as `addCogs` followed by `setClosingValue`, field order included.
 */
export function recordInventoryDay(uow: SyncUnitOfWork, locationId: string, sku: string, day: string, cogsDelta: number, value: number): void {
  const doc = load(uow, locationId, sku, day);
  if (doc.closingValue === value && cogsDelta === 0) return;
  uow.put(COLLECTIONS.inventoryDaily, { ...doc, cogs: doc.cogs + cogsDelta, closingValue: value });
}
