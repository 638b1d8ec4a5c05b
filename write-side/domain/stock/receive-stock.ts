import type { DomainEvent } from '../../../schemas/types';
import type { ReceiveStockCommand } from '../commands';
import { receiptKey } from '../idempotency';
import { stampedAt } from '../time';
import { requireLocation, requireProducts, type DecisionView } from '../view';

/** Goods arrive from a supplier. A repeated receiptId decides nothing (the original stands). */
export function decideReceiveStock(cmd: ReceiveStockCommand, view: DecisionView): DomainEvent[] {
  const location = requireLocation(view, cmd.locationId);
  requireProducts(view, cmd.lines.map((l) => l.sku));
  if (location.seen.has(receiptKey(cmd.receiptId))) return [];
  return [{
    type: 'StockReceived',
    data: {
      locationId: cmd.locationId,
      receiptId: cmd.receiptId,
      ...(cmd.reference !== undefined && { reference: cmd.reference }),
      lines: cmd.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitCost: l.unitCost ?? view.product(l.sku).unitCost ?? 0 })),
      ...stampedAt(cmd.now),
    },
  }];
}
