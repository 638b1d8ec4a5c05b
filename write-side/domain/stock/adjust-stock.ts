import type { DomainEvent } from '../../../schemas/types';
import type { AdjustStockCommand } from '../commands';
import { BusinessRuleViolation, InvalidCommand } from '../errors';
import { directionProblem } from './adjustment-direction';
import { adjustmentKey } from '../idempotency';
import { onHandOf } from '../locations/location-state';
import { stampedAt } from '../time';
import { requireLocation, requireProducts, type DecisionView } from '../view';

/**
 * A manual correction. Writing stock off cannot take the balance below zero (a sale can, because
 * it is a fact; a write-off of units we do not have is a mistake). Adding stock is always fine.
 * The sign must agree with the reason (adjustment-direction.ts), checked before anything else.
 */
export function decideAdjustStock(cmd: AdjustStockCommand, view: DecisionView): DomainEvent[] {
  const wrongWay = directionProblem(cmd.reason, cmd.quantity);
  if (wrongWay) throw new InvalidCommand(wrongWay, 'wrong-direction', 'quantity');
  const location = requireLocation(view, cmd.locationId);
  requireProducts(view, [cmd.sku]);
  if (location.seen.has(adjustmentKey(cmd.adjustmentId))) return [];
  const onHand = onHandOf(location, cmd.sku);
  if (cmd.quantity < 0 && onHand + cmd.quantity < 0) {
    throw new BusinessRuleViolation(
      `cannot remove ${-cmd.quantity} of ${cmd.sku} at ${cmd.locationId}: ${onHand} on hand`, 'insufficient-stock');
  }
  return [{
    type: 'StockAdjusted',
    data: {
      locationId: cmd.locationId,
      adjustmentId: cmd.adjustmentId,
      sku: cmd.sku,
      quantity: cmd.quantity,
      reason: cmd.reason,
      ...(cmd.note !== undefined && { note: cmd.note }),
      ...stampedAt(cmd.now),
    },
  }];
}
