/**
 * What one event does to stock, line by line, before any state is consulted. The stock
 * projection then applies the count ordering rule, FIFO costing and the ledger.
 */
import type { DomainEvent } from '../../schemas/types';
import type { MovementType } from './collections';
import { isCatalogEvent } from '../../catalog/catalog-events';

export interface Effect {
  readonly locationId: string;
  readonly sku: string;
  /** `transit` only moves the in-transit figures of the far end of a transfer (no ledger row). */
  readonly type: MovementType | 'transit';
  /** Signed change of on-hand (a count: its adjustment). */
  readonly quantity: number;
  readonly transitIn: number;
  readonly transitOut: number;
  readonly countedQuantity?: number;
  readonly unitCost?: number;
  readonly transferId?: string;
  /** Units lost in transit (shortfall rows). */
  readonly lost?: number;
  readonly reference?: string;
  /** An adjustment's reason and the note typed with it (the movement list shows both). */
  readonly reason?: string;
  readonly note?: string;
}

const base = { transitIn: 0, transitOut: 0 } as const;

/** Line effects in the order they apply; [] for events without stock effect. */
export function effectsOf(event: DomainEvent): Effect[] {
  if (isCatalogEvent(event)) return [];
  switch (event.type) {
    case 'StockReceived': {
      const { locationId, lines, reference } = event.data;
      return lines.map((l): Effect => {
        const effect: Effect = { locationId, sku: l.sku, type: 'receipt', quantity: l.quantity, transitIn: 0, transitOut: 0, unitCost: l.unitCost };
        return reference ? { ...effect, reference } : effect;
      });
    }
    case 'StockSold': {
      const { locationId, lines, saleId } = event.data;
      // Literal objects, not spreads of a shared base: one effect per line of every sale.
      const reference = event.data.reference ?? saleId;
      return lines.map((l): Effect => ({ locationId, sku: l.sku, type: 'sale', quantity: -l.quantity, transitIn: 0, transitOut: 0, reference }));
    }
    case 'StockReturned': {
      const { locationId, lines, returnId } = event.data;
      const reference = event.data.reference ?? returnId;
      return lines.map((l): Effect => ({ locationId, sku: l.sku, type: 'return', quantity: l.quantity, transitIn: 0, transitOut: 0, reference }));
    }
    case 'StockAdjusted': {
      const { locationId, sku, quantity, reason, note } = event.data;
      return [{ ...base, locationId, sku, type: 'adjustment', quantity, reference: reason, reason, ...(note !== undefined ? { note } : {}) }];
    }
    case 'StockCounted': {
      const { locationId, lines, countId } = event.data;
      return lines.map((l) => ({
        ...base, locationId, sku: l.sku, type: 'count', quantity: l.adjustment, countedQuantity: l.countedQuantity, reference: countId,
        ...(l.unitCost !== undefined && { unitCost: l.unitCost }),
      }));
    }
    case 'TransferDispatched': {
      const { transferId, fromLocationId, toLocationId, lines } = event.data;
      return lines.flatMap((l): Effect[] => [
        { locationId: fromLocationId, sku: l.sku, type: 'transfer_out', quantity: -l.quantity, transitIn: 0, transitOut: l.quantity, transferId, reference: transferId },
        { locationId: toLocationId, sku: l.sku, type: 'transit', quantity: 0, transitIn: l.quantity, transitOut: 0, transferId },
      ]);
    }
    case 'TransferReceived': {
      const { transferId, fromLocationId, toLocationId, lines, shortfall } = event.data;
      const received = lines.flatMap((l): Effect[] => [
        { locationId: toLocationId, sku: l.sku, type: 'transfer_in', quantity: l.quantity, transitIn: -l.quantity, transitOut: 0, transferId, reference: transferId },
        { locationId: fromLocationId, sku: l.sku, type: 'transit', quantity: 0, transitIn: 0, transitOut: -l.quantity, transferId },
      ]);
      const lost = shortfall.flatMap((l): Effect[] => [
        { locationId: toLocationId, sku: l.sku, type: 'transfer_shortfall', quantity: 0, lost: l.quantity, transitIn: -l.quantity, transitOut: 0, transferId, reference: transferId },
        { locationId: fromLocationId, sku: l.sku, type: 'transit', quantity: 0, transitIn: 0, transitOut: -l.quantity, transferId },
      ]);
      return [...received, ...lost];
    }
    case 'PollCreated': case 'PollAnswered': case 'FeedbackSubmitted': case 'FeedbackStatusChanged': case 'AuditRecorded': // staff voice and audit (polls/, feedback/, audit/)
    case 'CountSessionOpened': case 'CountScansRecorded': case 'CountRecountRequested': case 'CountSessionPostingStarted': case 'CountSessionPosted': case 'CountSessionCancelled': // count sessions (counting/): their stock effect is the StockCounted they post
    case 'LocationRegistered':
    case 'ProductRegistered':
    case 'ReorderPointSet':
    case 'TransferCreated':
    case 'TransferCancelled':
    case 'PosDiscrepancyRecorded':
    case 'SupplierRegistered':
    case 'SupplierPriceSet':
    case 'SupplierDeactivated':
    case 'ReorderRuleSet':
    case 'PurchaseOrderDrafted':
    case 'PurchaseOrderSent':
    case 'PurchaseOrderCancelled':
    case 'PurchaseOrderLinesClosed':
      return []; // purchasing's stock effect is the StockReceived its receipt appends
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
