/**
 * Purchasing's view of a `location-{id}` stream: the location exists, and for each purchase
 * order delivered here whether it was sent, cancelled, what arrived and what was closed short.
 * Also which receipt ids were used here (a PO receipt must not reuse another receipt's id).
 *
 * Folded in place like the stock state (a location stream is long); owned by whoever folds it.
 */
import type { DomainEvent } from '../../schemas/types';
import { idempotencyKeyOf } from '../../write-side/domain/idempotency';

export interface OrderAtLocation {
  sent?: { readonly at: string; readonly expectedAt: string };
  cancelled: boolean;
  readonly received: Map<string, number>;
  readonly closed: Map<string, number>;
  readonly closeIds: Set<string>;
}

export interface OrdersAtLocationState {
  registered: boolean;
  readonly orders: Map<string, OrderAtLocation>;
  /** receiptId → the purchase order it was for ('' for a receipt without one). */
  readonly receipts: Map<string, string>;
  /** receiptId → what it received (receiptFingerprint): a resend must say the same. */
  readonly receiptLines: Map<string, string>;
  readonly seen: Set<string>;
}

export const initialOrdersAtLocation = (): OrdersAtLocationState => ({
  registered: false, orders: new Map(), receipts: new Map(), receiptLines: new Map(), seen: new Set(),
});

/** The units a receipt received, comparable whatever the order of its lines (lines of 0 receive nothing). */
export const receiptFingerprint = (lines: ReadonlyArray<{ sku: string; quantity: number }>): string =>
  lines.filter((l) => l.quantity > 0).map((l) => `${l.sku}:${l.quantity}`).sort().join('|');

export function orderAt(state: OrdersAtLocationState, purchaseOrderId: string): OrderAtLocation {
  let order = state.orders.get(purchaseOrderId);
  if (!order) {
    order = { cancelled: false, received: new Map(), closed: new Map(), closeIds: new Set() };
    state.orders.set(purchaseOrderId, order);
  }
  return order;
}

const add = (map: Map<string, number>, sku: string, quantity: number) => map.set(sku, (map.get(sku) ?? 0) + quantity);

export function evolveOrdersAtLocation(state: OrdersAtLocationState, event: DomainEvent): OrdersAtLocationState {
  // A fact stored twice (EventStoreDB dedupes ids best effort) is applied once.
  const key = idempotencyKeyOf(event);
  if (key !== undefined) {
    if (state.seen.has(key)) return state;
    state.seen.add(key);
  }
  switch (event.type) {
    case 'LocationRegistered':
      state.registered = true;
      return state;
    case 'StockReceived': {
      const { receiptId, purchaseOrderId, lines } = event.data;
      state.receipts.set(receiptId, purchaseOrderId ?? '');
      state.receiptLines.set(receiptId, receiptFingerprint(lines));
      if (purchaseOrderId !== undefined) {
        const order = orderAt(state, purchaseOrderId);
        for (const line of lines) add(order.received, line.sku, line.quantity);
      }
      return state;
    }
    case 'PurchaseOrderSent':
      orderAt(state, event.data.purchaseOrderId).sent = { at: event.data.occurredAt, expectedAt: event.data.expectedAt };
      return state;
    case 'PurchaseOrderCancelled':
      orderAt(state, event.data.purchaseOrderId).cancelled = true;
      return state;
    case 'PurchaseOrderLinesClosed': {
      const order = orderAt(state, event.data.purchaseOrderId);
      order.closeIds.add(event.data.closeId);
      for (const line of event.data.lines) add(order.closed, line.sku, line.quantity);
      return state;
    }
    default:
      return state;
  }
}
