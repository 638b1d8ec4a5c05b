import type { DomainEvent } from '../../../schemas/types';
import type { RecordReturnCommand, RecordSaleCommand } from '../commands';
import { returnKey, saleKey } from '../idempotency';
import { requireLocation, type DecisionView } from '../view';

/**
 * A sale is a fact from the till: never refused for lack of stock (the balance may go negative)
 * nor for an unknown sku (the POS layer quarantines those before calling; a direct call is kept).
 * A saleId already applied decides nothing.
 */
export function decideRecordSale(cmd: RecordSaleCommand, view: DecisionView): DomainEvent[] {
  const location = requireLocation(view, cmd.locationId);
  if (location.seen.has(saleKey(cmd.saleId))) return [];
  return [{
    type: 'StockSold',
    data: {
      locationId: cmd.locationId,
      saleId: cmd.saleId,
      ...(cmd.reference !== undefined && { reference: cmd.reference }),
      ...(cmd.pos !== undefined && { pos: cmd.pos }),
      lines: cmd.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, ...(l.unitPrice !== undefined && { unitPrice: l.unitPrice }) })),
      occurredAt: cmd.occurredAt,
      recordedAt: cmd.now,
    },
  }];
}

export function decideRecordReturn(cmd: RecordReturnCommand, view: DecisionView): DomainEvent[] {
  const location = requireLocation(view, cmd.locationId);
  if (location.seen.has(returnKey(cmd.returnId))) return [];
  return [{
    type: 'StockReturned',
    data: {
      locationId: cmd.locationId,
      returnId: cmd.returnId,
      ...(cmd.reference !== undefined && { reference: cmd.reference }),
      ...(cmd.pos !== undefined && { pos: cmd.pos }),
      lines: cmd.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      occurredAt: cmd.occurredAt,
      recordedAt: cmd.now,
    },
  }];
}
