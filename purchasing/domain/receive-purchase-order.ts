/**
 * Goods arrive against a purchase order. One decision, one append to the delivery location's
 * stream: the `StockReceived` (lines at the PO's unit costs, carrying `purchaseOrderId`, so
 * FIFO value, aging and turnover follow) and, when lines are closed short, the
 * `PurchaseOrderLinesClosed` beside it. Atomic: both are stored or neither.
 */
import type { DomainEvent } from '../../schemas/types';
import { CLOCK_SKEW_MS, toMillis } from '../../write-side/domain/time';
import type { ReceivePurchaseOrderCommand } from './commands';
import { FieldConflict, InvalidField } from './errors';
import { outstandingOf } from './order-lines';
import { receiptFingerprint } from './orders-at-location';
import { orderWithProgress, requireReceivable } from './purchase-orders';
import type { PurchasingView } from './view';

/** The close a receipt makes is keyed by the receipt (receipt ids are at most 62 characters). */
export const closeIdOf = (receiptId: string): string => `r:${receiptId}`;

export function decideReceivePurchaseOrder(cmd: ReceivePurchaseOrderCommand, view: PurchasingView): DomainEvent[] {
  const { order, progress } = orderWithProgress(view, cmd.purchaseOrderId);
  const location = view.location(order.locationId);
  // The same receipt id again: one effect (the original stands). With other quantities it is not
  // a resend but another receipt (or a tampered queue): refused, so nothing is lost unseen.
  const owner = location.receipts.get(cmd.receiptId);
  if (owner === cmd.purchaseOrderId || progress?.closeIds.has(closeIdOf(cmd.receiptId))) {
    if ((location.receiptLines.get(cmd.receiptId) ?? '') !== receiptFingerprint(cmd.lines)) {
      throw new FieldConflict(`receipt id ${cmd.receiptId} was sent before with other lines`, 'receipt-id-reused', 'receiptId');
    }
    return [];
  }
  if (owner !== undefined) {
    throw new FieldConflict(`receipt id ${cmd.receiptId} was already used at ${order.locationId} for another receipt`, 'receipt-id-used', 'receiptId');
  }
  requireReceivable(cmd, progress);

  const occurredAt = cmd.receivedAt ?? cmd.now;
  if (toMillis(occurredAt) > toMillis(cmd.now) + CLOCK_SKEW_MS) {
    throw new InvalidField(`receivedAt ${occurredAt} is in the future`, 'receipt-in-future', 'receivedAt');
  }
  const seen = new Set<string>();
  const received: Array<{ sku: string; quantity: number; unitCost: number }> = [];
  const closed: Array<{ sku: string; quantity: number }> = [];
  cmd.lines.forEach((line, i) => {
    const ordered = order.lines.find((l) => l.sku === line.sku);
    if (!ordered) throw new FieldConflict(`${line.sku} is not on purchase order ${cmd.purchaseOrderId}`, 'not-on-order', `lines/${i}/sku`);
    if (seen.has(line.sku)) throw new InvalidField(`sku ${line.sku} appears twice`, 'duplicate-sku', `lines/${i}/sku`);
    seen.add(line.sku);
    const left = outstandingOf({ ordered: ordered.quantity, received: progress.received.get(line.sku) ?? 0, closed: progress.closed.get(line.sku) ?? 0 });
    if (line.quantity > left && !cmd.allowOver) {
      throw new FieldConflict(
        `cannot receive ${line.quantity} of ${line.sku} on ${cmd.purchaseOrderId}: ${left} outstanding (allowOver accepts more)`,
        'over-receipt', `lines/${i}/quantity`);
    }
    if (line.quantity > 0) received.push({ sku: line.sku, quantity: line.quantity, unitCost: ordered.unitCost });
    const short = left - line.quantity;
    if ((line.closeShort || cmd.closeShort) && short > 0) closed.push({ sku: line.sku, quantity: short });
  });
  if (cmd.closeShort) {
    // Lines not named in this receipt are closed too.
    for (const l of order.lines) {
      if (seen.has(l.sku)) continue;
      const left = outstandingOf({ ordered: l.quantity, received: progress.received.get(l.sku) ?? 0, closed: progress.closed.get(l.sku) ?? 0 });
      if (left > 0) closed.push({ sku: l.sku, quantity: left });
    }
  }
  if (received.length === 0 && closed.length === 0) {
    throw new InvalidField('nothing to receive: every quantity is 0 and nothing is closed', 'nothing-to-receive', 'lines');
  }
  const keys = { purchaseOrderId: order.purchaseOrderId, supplierId: order.supplierId, locationId: order.locationId };
  const events: DomainEvent[] = [];
  if (received.length > 0) {
    events.push({
      type: 'StockReceived',
      data: {
        locationId: order.locationId, receiptId: cmd.receiptId, reference: `PO ${order.purchaseOrderId}`,
        purchaseOrderId: order.purchaseOrderId, lines: received, occurredAt, recordedAt: cmd.now,
      },
    });
  }
  if (closed.length > 0) {
    events.push({ type: 'PurchaseOrderLinesClosed', data: { ...keys, closeId: closeIdOf(cmd.receiptId), lines: closed, occurredAt, recordedAt: cmd.now } });
  }
  return events;
}
