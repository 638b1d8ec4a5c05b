/**
 * Idempotency keys: what makes two events "the same fact" even when both got stored (an
 * EventStoreDB id dedupe is best effort). `evolve` applies each key once; the command service
 * derives deterministic event ids from them and finds the original position of a repeat.
 */
import type { DomainEvent } from '../../schemas/types';
import type { StockCommand } from './commands';
import { purchasingKeyOf } from '../../purchasing/domain/streams';
import { isCatalogEvent } from '../../catalog/catalog-events';

export const saleKey = (saleId: string) => `sale:${saleId}`;
export const returnKey = (returnId: string) => `return:${returnId}`;
export const receiptKey = (receiptId: string) => `receipt:${receiptId}`;
export const adjustmentKey = (adjustmentId: string) => `adjustment:${adjustmentId}`;
export const countKey = (countId: string) => `count:${countId}`;
export const dispatchKey = (transferId: string) => `dispatch:${transferId}`;
export const cancelKey = (transferId: string) => `cancel:${transferId}`;
export const transferCompletedKey = (transferId: string) => `transfer-completed:${transferId}`;
export const transferCreatedKey = (transferId: string) => `transfer:${transferId}`;
export const posTotalKey = (connectionId: string, posEventId: string) => `pos-total:${connectionId}:${posEventId}`;

/** The key of a stored event, or undefined when the event may legitimately occur many times. */
export function idempotencyKeyOf(event: DomainEvent): string | undefined {
  if (isCatalogEvent(event)) return undefined; // catalog decisions are idempotent by state
  switch (event.type) {
    case 'StockReceived': return receiptKey(event.data.receiptId);
    case 'StockSold': return saleKey(event.data.saleId);
    case 'StockReturned': return returnKey(event.data.returnId);
    case 'StockAdjusted': return adjustmentKey(event.data.adjustmentId);
    case 'StockCounted': return countKey(event.data.countId);
    case 'TransferCreated': return transferCreatedKey(event.data.transferId);
    case 'TransferDispatched': return dispatchKey(event.data.transferId);
    case 'TransferCancelled': return cancelKey(event.data.transferId);
    // Partial receipts repeat legitimately; only the one that completes a transfer is unique.
    case 'TransferReceived': return event.data.completed ? transferCompletedKey(event.data.transferId) : undefined;
    case 'PosDiscrepancyRecorded': return posTotalKey(event.data.connectionId, event.data.posEventId);
    case 'PollCreated': case 'PollAnswered': case 'FeedbackSubmitted': case 'FeedbackStatusChanged': case 'AuditRecorded': // staff voice and audit (polls/, feedback/, audit/)
    case 'CountSessionOpened': case 'CountScansRecorded': case 'CountRecountRequested': case 'CountSessionPostingStarted': case 'CountSessionPosted': case 'CountSessionCancelled': // count sessions (counting/): their stock effect is the StockCounted they post
    case 'LocationRegistered':
    case 'ProductRegistered':
    case 'ReorderPointSet':
      return undefined;
    case 'SupplierRegistered':
    case 'SupplierPriceSet':
    case 'SupplierDeactivated':
    case 'ReorderRuleSet':
    case 'PurchaseOrderDrafted':
    case 'PurchaseOrderSent':
    case 'PurchaseOrderCancelled':
    case 'PurchaseOrderLinesClosed':
      return purchasingKeyOf(event);
    default: {
      const _exhaustive: never = event;
      return undefined;
    }
  }
}

/** The key a command's event would carry (the same strings as `idempotencyKeyOf`). */
export function idempotencyKeyOfCommand(command: StockCommand): string | undefined {
  switch (command.type) {
    case 'ReceiveStock': return receiptKey(command.receiptId);
    case 'RecordSale': return saleKey(command.saleId);
    case 'RecordReturn': return returnKey(command.returnId);
    case 'AdjustStock': return adjustmentKey(command.adjustmentId);
    case 'CountStock': return countKey(command.countId);
    case 'CreateTransfer': return transferCreatedKey(command.transferId);
    case 'DispatchTransfer': return dispatchKey(command.transferId);
    case 'CancelTransfer': return cancelKey(command.transferId);
    case 'ReceiveTransfer': return transferCompletedKey(command.transferId);
    case 'ReconcilePosTotal': return posTotalKey(command.connectionId, command.posEventId);
    case 'RegisterLocation':
    case 'RegisterProduct':
    case 'SetReorderPoint':
      return undefined;
    default: {
      const _exhaustive: never = command;
      return undefined;
    }
  }
}
