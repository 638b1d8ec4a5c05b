/**
 * Drafting, sending, cancelling and closing purchase orders. The draft goes to its own
 * stream; every later step is decided on the delivery location's purchasing state and
 * appended there at its expected revision, so send, cancel, close and receive exclude one another.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DomainEvent } from '../../schemas/types';
import { stampedAt } from '../../write-side/domain/time';
import type {
  CancelPurchaseOrderCommand, ClosePurchaseOrderCommand, DraftPurchaseOrderCommand, SendPurchaseOrderCommand,
} from './commands';
import { FieldConflict, InvalidField } from './errors';
import { expectedAtOf, outstandingOf } from './order-lines';
import type { OrderAtLocation } from './orders-at-location';
import { requireActiveSupplier, requireLocation, requireOrder, requireProduct, type DraftedOrder, type PurchasingView } from './view';

const keys = (o: { purchaseOrderId: string; supplierId: string; locationId: string }) =>
  ({ purchaseOrderId: o.purchaseOrderId, supplierId: o.supplierId, locationId: o.locationId });

export function decideDraftPurchaseOrder(cmd: DraftPurchaseOrderCommand, view: PurchasingView): DomainEvent[] {
  const supplier = requireActiveSupplier(view, cmd.supplierId);
  requireLocation(view, cmd.locationId);
  const seen = new Set<string>();
  const lines = cmd.lines.map((line, i) => {
    requireProduct(view, line.sku, `lines/${i}/sku`);
    if (seen.has(line.sku)) throw new InvalidField(`sku ${line.sku} appears twice`, 'duplicate-sku', `lines/${i}/sku`);
    seen.add(line.sku);
    const unitCost = line.unitCost ?? supplier.prices.get(line.sku)?.unitCost;
    if (unitCost === undefined) {
      throw new InvalidField(`no unitCost given and supplier ${cmd.supplierId} has no price for ${line.sku}`, 'no-price', `lines/${i}/unitCost`);
    }
    return { sku: line.sku, quantity: line.quantity, unitCost };
  });
  const existing = view.purchaseOrder(cmd.purchaseOrderId);
  if (existing.drafted) {
    const same = existing.supplierId === cmd.supplierId && existing.locationId === cmd.locationId && isDeepStrictEqual(existing.lines, lines);
    if (same) return [];
    throw new FieldConflict(`purchase order ${cmd.purchaseOrderId} already exists`, 'purchase-order-exists', 'id');
  }
  return [{
    type: 'PurchaseOrderDrafted',
    data: {
      purchaseOrderId: cmd.purchaseOrderId, supplierId: cmd.supplierId, locationId: cmd.locationId, currency: supplier.currency, lines,
      ...(cmd.suggestionIds && cmd.suggestionIds.length > 0 && { suggestionIds: cmd.suggestionIds }),
      ...stampedAt(cmd.now),
    },
  }];
}

/** The order and its record at the delivery location. */
export function orderWithProgress(view: PurchasingView, purchaseOrderId: string): { order: DraftedOrder; progress: OrderAtLocation | undefined } {
  const order = requireOrder(view, purchaseOrderId);
  const location = requireLocation(view, order.locationId);
  return { order, progress: location.orders.get(purchaseOrderId) };
}

/** Sends a draft: expected delivery = now + the supplier's lead time. Sending again decides nothing. */
export function decideSendPurchaseOrder(cmd: SendPurchaseOrderCommand, view: PurchasingView): DomainEvent[] {
  const { order, progress } = orderWithProgress(view, cmd.purchaseOrderId);
  if (progress?.cancelled) throw new FieldConflict(`purchase order ${cmd.purchaseOrderId} was cancelled`, 'purchase-order-cancelled', 'id');
  if (progress?.sent) return [];
  const supplier = requireActiveSupplier(view, order.supplierId);
  return [{
    type: 'PurchaseOrderSent',
    data: {
      ...keys(order), currency: order.currency, lines: order.lines, leadTimeDays: supplier.leadTimeDays,
      expectedAt: expectedAtOf(cmd.now, supplier.leadTimeDays), supplierName: supplier.name,
      ...(supplier.email !== undefined && { supplierEmail: supplier.email }),
      ...stampedAt(cmd.now),
    },
  }];
}

/** Only an order nothing has arrived against can be cancelled (else close it short). */
export function decideCancelPurchaseOrder(cmd: CancelPurchaseOrderCommand, view: PurchasingView): DomainEvent[] {
  const { order, progress } = orderWithProgress(view, cmd.purchaseOrderId);
  if (progress?.cancelled) return [];
  if (progress && (progress.received.size > 0 || progress.closed.size > 0)) {
    throw new FieldConflict(`purchase order ${cmd.purchaseOrderId} has receipts: close it short instead`, 'purchase-order-received', 'id');
  }
  return [{
    type: 'PurchaseOrderCancelled',
    data: { ...keys(order), ...(cmd.reason !== undefined && { reason: cmd.reason }), ...stampedAt(cmd.now) },
  }];
}

/** What is still outstanding per line, for an order that was sent (and not cancelled). */
export function outstandingLines(order: DraftedOrder, progress: OrderAtLocation | undefined): Array<{ sku: string; quantity: number }> {
  return order.lines
    .map((l) => ({
      sku: l.sku,
      quantity: outstandingOf({ ordered: l.quantity, received: progress?.received.get(l.sku) ?? 0, closed: progress?.closed.get(l.sku) ?? 0 }),
    }))
    .filter((l) => l.quantity > 0);
}

export function requireReceivable(cmd: { purchaseOrderId: string }, progress: OrderAtLocation | undefined): asserts progress is OrderAtLocation {
  if (progress?.cancelled) throw new FieldConflict(`purchase order ${cmd.purchaseOrderId} was cancelled`, 'purchase-order-cancelled', 'id');
  if (!progress?.sent) throw new FieldConflict(`purchase order ${cmd.purchaseOrderId} is a draft: send it first`, 'purchase-order-not-sent', 'id');
}

/** Closes every outstanding line short (the supplier will ship no more). Closing again decides nothing. */
export function decideClosePurchaseOrder(cmd: ClosePurchaseOrderCommand, view: PurchasingView): DomainEvent[] {
  const { order, progress } = orderWithProgress(view, cmd.purchaseOrderId);
  requireReceivable(cmd, progress);
  if (progress.closeIds.has(cmd.closeId)) return [];
  const lines = outstandingLines(order, progress);
  if (lines.length === 0) throw new FieldConflict(`purchase order ${cmd.purchaseOrderId} is fully received`, 'purchase-order-complete', 'id');
  return [{
    type: 'PurchaseOrderLinesClosed',
    data: { ...keys(order), closeId: cmd.closeId, lines, ...(cmd.reason !== undefined && { reason: cmd.reason }), ...stampedAt(cmd.now) },
  }];
}
