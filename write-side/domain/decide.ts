/**
 * The write model in one place: which stream each event belongs to, how each stream's state
 * evolves, and `decide(command, view)` dispatching to the capability that owns the command.
 */
import type { DomainEvent } from '../../schemas/types';
import { decideRegisterProduct } from './catalog/register-product';
import { evolveProduct, initialProductState, type ProductState } from './catalog/product-state';
import type { StockCommand } from './commands';
import { evolveLocation, initialLocationState, type LocationState } from './locations/location-state';
import { decideRegisterLocation } from './locations/register-location';
import { LOCATION_SNAPSHOT_VERSION, decodeLocation, encodeLocation, type LocationSnapshotJson } from './locations/location-snapshot';
import { decideAdjustStock } from './stock/adjust-stock';
import { decideCountStock } from './stock/count-stock';
import { decideReceiveStock } from './stock/receive-stock';
import { decideReconcilePosTotal } from './stock/reconcile-pos-total';
import { decideRecordReturn, decideRecordSale } from './stock/record-sale';
import { decideSetReorderPoint } from './stock/set-reorder-point';
import { decideCancelTransfer } from './transfers/cancel-transfer';
import { decideCreateTransfer } from './transfers/create-transfer';
import { decideDispatchTransfer } from './transfers/dispatch-transfer';
import { decideReceiveTransfer } from './transfers/receive-transfer';
import { evolveTransfer, initialTransferState, type TransferState } from './transfers/transfer-state';
import type { DecisionView } from './view';
import { purchasingStreamOf } from '../../purchasing/domain/streams';
import { catalogStreamOf, isCatalogEvent } from '../../catalog/catalog-events';

export const locationStream = (locationId: string) => `location-${locationId}`;
export const productStream = (sku: string) => `product-${sku}`;
export const transferStream = (transferId: string) => `transfer-${transferId}`;

/** The stream an event is appended to (see docs/streams.md). */
export function streamOf(event: DomainEvent): string {
  if (isCatalogEvent(event)) return catalogStreamOf(event);
  switch (event.type) {
    case 'ProductRegistered': return productStream(event.data.sku);
    case 'TransferCreated': return transferStream(event.data.transferId);
    case 'TransferDispatched':
    case 'TransferCancelled':
      return locationStream(event.data.fromLocationId);
    case 'TransferReceived': return locationStream(event.data.toLocationId);
    case 'LocationRegistered':
    case 'ReorderPointSet':
    case 'StockReceived':
    case 'StockSold':
    case 'StockReturned':
    case 'StockAdjusted':
    case 'StockCounted':
    case 'PosDiscrepancyRecorded':
      return locationStream(event.data.locationId);
    case 'SupplierRegistered':
    case 'SupplierPriceSet':
    case 'SupplierDeactivated':
    case 'ReorderRuleSet':
    case 'PurchaseOrderDrafted':
    case 'PurchaseOrderSent':
    case 'PurchaseOrderCancelled':
    case 'PurchaseOrderLinesClosed':
      return purchasingStreamOf(event);
    // Staff voice and audit events are appended by their own capabilities, never by the stock service.
    case 'PollCreated': case 'PollAnswered': case 'FeedbackSubmitted': case 'FeedbackStatusChanged': case 'AuditRecorded':
    case 'CountSessionOpened': case 'CountScansRecorded': case 'CountRecountRequested': case 'CountSessionPostingStarted': case 'CountSessionPosted': case 'CountSessionCancelled': // count sessions (counting/): their stock effect is the StockCounted they post
      throw new Error(`${event.type} is not a stock event`);
    default: {
      const _exhaustive: never = event;
      throw new Error(`no stream for ${String((event as { type: unknown }).type)}`);
    }
  }
}

export type StreamState = LocationState | ProductState | TransferState;

export const streams = {
  location: {
    initial: initialLocationState,
    evolve: evolveLocation,
    snapshot: { version: LOCATION_SNAPSHOT_VERSION, encode: encodeLocation, decode: (json: unknown) => decodeLocation(json as LocationSnapshotJson) },
    remembers: (state: LocationState, key: string) => state.seen.has(key),
  },
  product: { initial: initialProductState, evolve: evolveProduct },
  transfer: { initial: initialTransferState, evolve: evolveTransfer },
} as const;

/** Decides the events a command produces, or throws a DomainError. [] = already applied (or nothing to record). */
export function decide(command: StockCommand, view: DecisionView): DomainEvent[] {
  switch (command.type) {
    case 'RegisterLocation': return decideRegisterLocation(command, view.location(command.locationId));
    case 'RegisterProduct': return decideRegisterProduct(command, view.product(command.sku));
    case 'SetReorderPoint': return decideSetReorderPoint(command, view);
    case 'ReceiveStock': return decideReceiveStock(command, view);
    case 'AdjustStock': return decideAdjustStock(command, view);
    case 'CountStock': return decideCountStock(command, view);
    case 'RecordSale': return decideRecordSale(command, view);
    case 'RecordReturn': return decideRecordReturn(command, view);
    case 'ReconcilePosTotal': return decideReconcilePosTotal(command, view);
    case 'CreateTransfer': return decideCreateTransfer(command, view);
    case 'DispatchTransfer': return decideDispatchTransfer(command, view);
    case 'ReceiveTransfer': return decideReceiveTransfer(command, view);
    case 'CancelTransfer': return decideCancelTransfer(command, view);
    default: {
      const _exhaustive: never = command;
      throw new Error('unknown command');
    }
  }
}
