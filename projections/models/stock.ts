/**
 * The stock projection: balances per (location, SKU) with FIFO value, and everything that
 * must agree with them exactly, in one pass and one checkpoint: the movement ledger (its
 * running balance is the stock balance), FIFO lots (aging), daily COGS and value (turnover),
 * daily sales, and stock alerts. One projection also means one place that applies each
 * `saleId`/`returnId` once, however often EventStoreDB delivers it.
 */
import type { RecordedEvent } from '../../write-side/eventstore/port';
import type { Projection, UnitOfWork } from '../runner/projection';
import { clearPosDiscrepancy, raisePosDiscrepancy, reconcileStockAlerts, type AlertContext } from './alerts';
import { COLLECTIONS, type SkuDoc, type StockDoc } from './collections';
import { recordDailySales } from './daily-sales';
import { recordInventoryDay } from './inventory-daily';
import { dayOf, stockKey } from './keys';
import { ledgerRow, timesOf, type Times } from './ledger';
import { asDomainEvent } from './model-events';
import type { DomainEvent } from '../../schemas/types';
import type { MovementType } from './collections';
import { applyEffect } from './stock-apply';
import { effectsOf } from './stock-effects';
import { loadSlot, saveSlot, type Slot } from './stock-slot';
import { isCatalogEvent } from '../../catalog/catalog-events';

/** Marks an id as applied; answers false when it already was. */
async function firstTime(uow: UnitOfWork, id: string): Promise<boolean> {
  if (await uow.get(COLLECTIONS.seen, id)) return false;
  uow.put(COLLECTIONS.seen, { _id: id });
  return true;
}

async function applyEffects(uow: UnitOfWork, recorded: RecordedEvent, event: DomainEvent, times: Times, ctx: AlertContext): Promise<void> {
  const slots = new Map<string, Slot>();
  let line = 0;
  for (const effect of effectsOf(event)) {
    const key = stockKey(effect.locationId, effect.sku);
    let slot = slots.get(key);
    if (slot === undefined) slots.set(key, (slot = await loadSlot(uow, effect.locationId, effect.sku)));
    const effective = await applyEffect(uow, slot, effect, times.occurredAt);
    if (effect.type === 'transit') continue;
    uow.put(COLLECTIONS.ledger, ledgerRow(recorded, line++, effect as typeof effect & { type: MovementType }, times, slot.doc.onHand, effective));
    if (effect.type === 'count') await clearPosDiscrepancy(uow, effect.locationId, effect.sku, ctx);
  }
  const day = dayOf(times.occurredAt);
  for (const slot of slots.values()) {
    saveSlot(uow, slot, recorded.position);
    await recordInventoryDay(uow, slot.doc.locationId, slot.doc.sku, day, slot.cogs, slot.doc.value);
    await reconcileStockAlerts(uow, slot.doc, ctx);
  }
}

/** Gives a stock doc another reorder point and re-evaluates its alerts. */
async function changeReorderPoint(
  uow: UnitOfWork, locationId: string, sku: string, update: (doc: StockDoc) => StockDoc, position: bigint, ctx: AlertContext,
): Promise<void> {
  const slot = await loadSlot(uow, locationId, sku);
  slot.doc = update(slot.doc);
  saveSlot(uow, slot, position);
  await reconcileStockAlerts(uow, slot.doc, ctx);
}

export const stockProjection: Projection = {
  name: 'stock',
  collections: [
    COLLECTIONS.stock, COLLECTIONS.lots, COLLECTIONS.transit, COLLECTIONS.seen, COLLECTIONS.skus,
    COLLECTIONS.ledger, COLLECTIONS.alerts, COLLECTIONS.inventoryDaily, COLLECTIONS.dailySales,
  ],
  indexes: [
    { collection: COLLECTIONS.stock, fields: ['locationId', 'sku'] },
    { collection: COLLECTIONS.stock, fields: ['sku'] },
    { collection: COLLECTIONS.stock, fields: ['positionKey'] },
    { collection: COLLECTIONS.lots, fields: ['locationId'] },
    { collection: COLLECTIONS.ledger, fields: ['locationId', 'sku', 'occurredAt'] },
    { collection: COLLECTIONS.ledger, fields: ['locationId', 'sku', 'type', 'occurredAt'] },
    { collection: COLLECTIONS.ledger, fields: ['sku'] },
    { collection: COLLECTIONS.alerts, fields: ['status'] },
    { collection: COLLECTIONS.alerts, fields: ['positionKey'] },
    { collection: COLLECTIONS.inventoryDaily, fields: ['locationId', 'day'] },
    { collection: COLLECTIONS.dailySales, fields: ['sku', 'locationId', 'date'] },
    // The overview (today vs last week) and the sales charts read a period across SKUs.
    { collection: COLLECTIONS.dailySales, fields: ['date'] },
  ],
  async apply(recorded, uow) {
    const event = asDomainEvent(recorded);
    if (!event || isCatalogEvent(event)) return;
    const times = timesOf(event.data);
    const ctx: AlertContext = { at: times.recordedAt, position: recorded.position };
    switch (event.type) {
      case 'StockSold':
        if (!(await firstTime(uow, `sale|${event.data.locationId}|${event.data.saleId}`))) return;
        await recordDailySales(uow, 'sold', event.data);
        return applyEffects(uow, recorded, event, times, ctx);
      case 'StockReturned':
        if (!(await firstTime(uow, `return|${event.data.locationId}|${event.data.returnId}`))) return;
        await recordDailySales(uow, 'returned', event.data);
        return applyEffects(uow, recorded, event, times, ctx);
      case 'StockReceived':
      case 'StockAdjusted':
      case 'StockCounted':
      case 'TransferDispatched':
      case 'TransferReceived':
        return applyEffects(uow, recorded, event, times, ctx);
      case 'ProductRegistered': {
        const { sku, reorderPoint, unitCost } = event.data;
        const skuDoc = (await uow.get<SkuDoc>(COLLECTIONS.skus, sku)) ?? { _id: sku, sku, locations: [] };
        uow.put(COLLECTIONS.skus, {
          _id: sku, sku, locations: skuDoc.locations,
          ...(reorderPoint !== undefined ? { reorderPoint } : {}),
          ...(unitCost !== undefined ? { unitCost } : {}),
        });
        for (const locationId of skuDoc.locations) {
          const doc = await uow.get<StockDoc>(COLLECTIONS.stock, stockKey(locationId, sku));
          if (!doc || doc.locationReorderPoint !== undefined || doc.reorderPoint === reorderPoint) continue;
          await changeReorderPoint(uow, locationId, sku, ({ reorderPoint: _old, ...rest }) => ({
            ...rest, ...(reorderPoint !== undefined ? { reorderPoint } : {}),
          }) as StockDoc, recorded.position, ctx);
        }
        return;
      }
      case 'ReorderPointSet': {
        const { locationId, sku, reorderPoint } = event.data;
        await changeReorderPoint(uow, locationId, sku, (doc) => ({ ...doc, reorderPoint, locationReorderPoint: reorderPoint }), recorded.position, ctx);
        return;
      }
      case 'PosDiscrepancyRecorded':
        raisePosDiscrepancy(uow, event.data, ctx);
        return;
      case 'PollCreated': case 'PollAnswered': case 'FeedbackSubmitted': case 'FeedbackStatusChanged': case 'AuditRecorded': // staff voice and audit (polls/, feedback/, audit/)
      case 'CountSessionOpened': case 'CountScansRecorded': case 'CountRecountRequested': case 'CountSessionPostingStarted': case 'CountSessionPosted': case 'CountSessionCancelled': // count sessions (counting/): their stock effect is the StockCounted they post
      case 'LocationRegistered':
      case 'TransferCreated':
      case 'TransferCancelled':
      case 'SupplierRegistered':
      case 'SupplierPriceSet':
      case 'SupplierDeactivated':
      case 'ReorderRuleSet':
      case 'PurchaseOrderDrafted':
      case 'PurchaseOrderSent':
      case 'PurchaseOrderCancelled':
      case 'PurchaseOrderLinesClosed':
        return; // purchasing/projection holds suppliers, orders and rules
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  },
};
