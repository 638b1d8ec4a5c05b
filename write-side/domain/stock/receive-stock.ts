import type { DomainEvent } from '../../../schemas/types';
import type { ReceiveStockCommand } from '../commands';
import { receiptKey } from '../idempotency';
import { BusinessRuleViolation } from '../errors';
import { CLOCK_SKEW_MS, toMillis } from '../time';
import { requireLocation, requireProducts, type DecisionView } from '../view';

/** Goods arrive from a supplier. A repeated receiptId decides nothing (the original stands). */
export function decideReceiveStock(cmd: ReceiveStockCommand, view: DecisionView): DomainEvent[] {
  const location = requireLocation(view, cmd.locationId);
  requireProducts(view, cmd.lines.map((l) => l.sku));
  if (location.seen.has(receiptKey(cmd.receiptId))) return [];
  const occurredAt = cmd.receivedAt ?? cmd.now;
  if (toMillis(occurredAt) > toMillis(cmd.now) + CLOCK_SKEW_MS) {
    throw new BusinessRuleViolation(`receivedAt ${occurredAt} is in the future`, 'receipt-in-future');
  }
  return [{
    type: 'StockReceived',
    data: {
      locationId: cmd.locationId,
      receiptId: cmd.receiptId,
      ...(cmd.reference !== undefined && { reference: cmd.reference }),
      lines: cmd.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitCost: l.unitCost ?? view.product(l.sku).unitCost ?? 0 })),
      occurredAt,
      recordedAt: cmd.now,
    },
  }];
}
