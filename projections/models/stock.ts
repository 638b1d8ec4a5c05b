/**
 * The stock projection: balances per (location, SKU) with FIFO value, and everything that
 * must agree with them exactly, in one pass and one checkpoint: the movement ledger (its
 * running balance is the stock balance), FIFO lots (aging), daily COGS and value (turnover),
 * daily sales, and stock alerts. One projection also means one place that applies each
 * `saleId`/`returnId` once, however often EventStoreDB delivers it.
 */
import type { RecordedEvent } from '../../write-side/eventstore/port';
import type { Projection } from '../runner/projection';
import { foldApply, type SyncUnitOfWork } from '../runner/sync-fold';
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
function firstTime(uow: SyncUnitOfWork, id: string): boolean {
  if (uow.get(COLLECTIONS.seen, id)) return false;
  uow.put(COLLECTIONS.seen, { _id: id });
  return true;
}

function applyEffects(uow: SyncUnitOfWork, recorded: RecordedEvent, event: DomainEvent, times: Times, ctx: AlertContext): void {
  const slots = new Map<string, Slot>();
  let line = 0;
  for (const effect of effectsOf(event)) {
    const key = stockKey(effect.locationId, effect.sku);
    let slot = slots.get(key);
    if (slot === undefined) slots.set(key, (slot = loadSlot(uow, effect.locationId, effect.sku)));
    const effective = applyEffect(uow, slot, effect, times.occurredAt);
    if (effect.type === 'transit') continue;
    uow.append(COLLECTIONS.ledger, ledgerRow(recorded, line++, effect as typeof effect & { type: MovementType }, times, slot.doc.onHand, effective));
    if (effect.type === 'count') clearPosDiscrepancy(uow, effect.locationId, effect.sku, ctx);
  }
  const day = dayOf(times.occurredAt);
  for (const slot of slots.values()) {
    saveSlot(uow, slot, recorded.position);
    recordInventoryDay(uow, slot.doc.locationId, slot.doc.sku, day, slot.cogs, slot.doc.value);
    reconcileStockAlerts(uow, slot.doc, ctx);
  }
}

/** Gives a stock doc another reorder point and re-evaluates its alerts. */
function changeReorderPoint(
  uow: SyncUnitOfWork, locationId: string, sku: string, update: (doc: StockDoc) => StockDoc, position: bigint, ctx: AlertContext,
): void {
  const slot = loadSlot(uow, locationId, sku);
  slot.doc = update(slot.doc);
  saveSlot(uow, slot, position);
  reconcileStockAlerts(uow, slot.doc, ctx);
}

/** The projector as plain synchronous code (the fast path of rebuilds and catch-ups). */
function fold(recorded: RecordedEvent, uow: SyncUnitOfWork): void {
  const event = asDomainEvent(recorded);
  if (!event || isCatalogEvent(event)) return;
  const times = timesOf(event.data);
  const ctx: AlertContext = { at: times.recordedAt, position: recorded.position };
  switch (event.type) {
    case 'StockSold':
      if (!firstTime(uow, `sale|${event.data.locationId}|${event.data.saleId}`)) return;
      recordDailySales(uow, 'sold', event.data);
      return applyEffects(uow, recorded, event, times, ctx);
    case 'StockReturned':
      if (!firstTime(uow, `return|${event.data.locationId}|${event.data.returnId}`)) return;
      recordDailySales(uow, 'returned', event.data);
      return applyEffects(uow, recorded, event, times, ctx);
    case 'StockReceived':
    case 'StockAdjusted':
    case 'StockCounted':
    case 'TransferDispatched':
    case 'TransferReceived':
      return applyEffects(uow, recorded, event, times, ctx);
    case 'ProductRegistered': {
      const { sku, reorderPoint, unitCost } = event.data;
      const skuDoc = uow.get<SkuDoc>(COLLECTIONS.skus, sku) ?? { _id: sku, sku, locations: [] };
      uow.put(COLLECTIONS.skus, {
        _id: sku, sku, locations: skuDoc.locations,
        ...(reorderPoint !== undefined ? { reorderPoint } : {}),
        ...(unitCost !== undefined ? { unitCost } : {}),
      });
      for (const locationId of skuDoc.locations) {
        const doc = uow.get<StockDoc>(COLLECTIONS.stock, stockKey(locationId, sku));
        if (!doc || doc.locationReorderPoint !== undefined || doc.reorderPoint === reorderPoint) continue;
        changeReorderPoint(uow, locationId, sku, ({ reorderPoint: _old, ...rest }) => ({
          ...rest, ...(reorderPoint !== undefined ? { reorderPoint } : {}),
        }) as StockDoc, recorded.position, ctx);
      }
      return;
    }
    case 'ReorderPointSet': {
      const { locationId, sku, reorderPoint } = event.data;
      changeReorderPoint(uow, locationId, sku, (doc) => ({ ...doc, reorderPoint, locationReorderPoint: reorderPoint }), recorded.position, ctx);
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
  fold,
  apply: foldApply(fold),
};
