/**
 * Loading and saving the state of one (location, SKU) inside a unit of work: the stock
 * document, its FIFO lots, and the per-SKU index used to reach every location of a SKU.
 */
import type { SyncUnitOfWork } from '../runner/sync-fold';
import { COLLECTIONS, type LotsDoc, type SkuDoc, type StockDoc } from './collections';
import { emptyLots, valueOf, type LotState } from './fifo';
import { padPosition, stockKey } from './keys';

export interface Slot {
  doc: StockDoc;
  lots: LotState;
  /** COGS recognised by the current event, filed under its day afterwards. */
  cogs: number;
}

export function loadSlot(uow: SyncUnitOfWork, locationId: string, sku: string): Slot {
  const id = stockKey(locationId, sku);
  let doc = uow.get<StockDoc>(COLLECTIONS.stock, id);
  const lotsDoc = uow.get<LotsDoc>(COLLECTIONS.lots, id);
  // The SKU document only seeds a new slot: most loads find both documents and skip it.
  const skuDoc = doc && lotsDoc ? undefined : uow.get<SkuDoc>(COLLECTIONS.skus, sku);
  if (!doc) {
    doc = {
      _id: id, locationId, sku, onHand: 0, inTransitIn: 0, inTransitOut: 0, value: 0,
      ...(skuDoc?.reorderPoint !== undefined ? { reorderPoint: skuDoc.reorderPoint } : {}),
      position: '0', positionKey: padPosition(0n),
    };
    uow.put(COLLECTIONS.skus, { ...(skuDoc ?? { _id: sku, sku }), locations: [...(skuDoc?.locations ?? []), locationId] });
  } else {
    doc = { ...doc };
  }
  const lots: LotState = lotsDoc
    ? {
        lots: lotsDoc.lots, deficit: lotsDoc.deficit, lastUnitCost: lotsDoc.lastUnitCost,
        ...(lotsDoc.lastConsumedUnitCost !== undefined ? { lastConsumedUnitCost: lotsDoc.lastConsumedUnitCost } : {}),
      }
    : emptyLots(skuDoc?.unitCost ?? 0);
  return { doc, lots, cogs: 0 };
}

/** Writes the slot back, stamped with the event's position; emits the stock change. */
export function saveSlot(uow: SyncUnitOfWork, slot: Slot, position: bigint): void {
  const { doc, lots } = slot;
  doc.value = valueOf(lots);
  doc.position = position.toString();
  doc.positionKey = padPosition(position);
  uow.put(COLLECTIONS.stock, doc);
  // The lot arrays are never mutated in place (fifo.ts builds new ones), so no copy here.
  const lotsDoc: LotsDoc = { _id: doc._id, locationId: doc.locationId, sku: doc.sku, ...lots, lots: lots.lots as LotsDoc['lots'] };
  uow.put(COLLECTIONS.lots, lotsDoc);
  emitStock(uow, doc);
}

export function emitStock(uow: SyncUnitOfWork, doc: StockDoc): void {
  uow.emit({
    kind: 'stock', locationId: doc.locationId, sku: doc.sku, onHand: doc.onHand,
    inTransitIn: doc.inTransitIn, inTransitOut: doc.inTransitOut,
    ...(doc.reorderPoint !== undefined ? { reorderPoint: doc.reorderPoint } : {}),
    position: doc.position,
  });
}
