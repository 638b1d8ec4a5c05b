/**
 * Per (location, SKU, day): cost of goods sold and the closing inventory value, the inputs
 * of turnover. Both are filed under the day of the event's occurredAt; the closing value is
 * the value after that event, so a late event for an earlier day refreshes that day with
 * the value as it stands (an approximation we accept: exact history would need a replay).
 */
import type { UnitOfWork } from '../runner/projection';
import { COLLECTIONS, type InventoryDayDoc } from './collections';
import { stockKey } from './keys';

export const inventoryDayKey = (locationId: string, sku: string, day: string): string => `${stockKey(locationId, sku)}|${day}`;

async function load(uow: UnitOfWork, locationId: string, sku: string, day: string): Promise<InventoryDayDoc> {
  const id = inventoryDayKey(locationId, sku, day);
  return (await uow.get<InventoryDayDoc>(COLLECTIONS.inventoryDaily, id)) ?? { _id: id, locationId, sku, day, cogs: 0 };
}

export async function addCogs(uow: UnitOfWork, locationId: string, sku: string, day: string, delta: number): Promise<void> {
  if (delta === 0) return;
  const doc = await load(uow, locationId, sku, day);
  uow.put(COLLECTIONS.inventoryDaily, { ...doc, cogs: doc.cogs + delta });
}

export async function setClosingValue(uow: UnitOfWork, locationId: string, sku: string, day: string, value: number): Promise<void> {
  const doc = await load(uow, locationId, sku, day);
  uow.put(COLLECTIONS.inventoryDaily, { ...doc, closingValue: value });
}

/**
 * Both figures of one event in one read and one write (the rebuild's hottest path): the
 * same document as `addCogs` followed by `setClosingValue`, field order included.
 */
export async function recordInventoryDay(uow: UnitOfWork, locationId: string, sku: string, day: string, cogsDelta: number, value: number): Promise<void> {
  const doc = await load(uow, locationId, sku, day);
  if (doc.closingValue === value && cogsDelta === 0) return;
  uow.put(COLLECTIONS.inventoryDaily, { ...doc, cogs: doc.cogs + cogsDelta, closingValue: value });
}
