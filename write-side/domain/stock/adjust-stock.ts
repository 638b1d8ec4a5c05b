import type { DomainEvent } from '../../../schemas/types';
import type { AdjustStockCommand } from '../commands';
import { BusinessRuleViolation, InvalidCommand } from '../errors';
import { directionProblem } from './adjustment-direction';
import { adjustmentKey } from '../idempotency';
import { onHandOf } from '../locations/location-state';
import { movementApplies } from './sku-ledger';
import { CLOCK_SKEW_MS, toMillis } from '../time';
import { requireLocation, requireProducts, type DecisionView } from '../view';

/**
 * A manual correction. Writing stock off cannot take the balance below zero (a sale can, because
 * it is a fact; a write-off of units we do not have is a mistake). Adding stock is always fine.
 * The sign must agree with the reason (adjustment-direction.ts), checked before anything else.
 *
 * `occurredAt` (a phone's queued action, default now) dates it, at most the clock skew ahead of
 * `now`. The count rule applies as to a late sale: an adjustment dated at or before the SKU's
 * last count is already reflected in that count, so it is recorded but moves no stock (and is
 * not checked against the balance). Refusing it instead would invite a re-dated resend that
 * takes the same unit off twice.
 */
export function decideAdjustStock(cmd: AdjustStockCommand, view: DecisionView): DomainEvent[] {
  const wrongWay = directionProblem(cmd.reason, cmd.quantity);
  if (wrongWay) throw new InvalidCommand(wrongWay, 'wrong-direction', 'quantity');
  const location = requireLocation(view, cmd.locationId);
  requireProducts(view, [cmd.sku]);
  if (location.seen.has(adjustmentKey(cmd.adjustmentId))) return [];
  const occurredAt = cmd.occurredAt ?? cmd.now;
  const at = toMillis(occurredAt);
  if (at > toMillis(cmd.now) + CLOCK_SKEW_MS) {
    throw new BusinessRuleViolation(`occurredAt ${occurredAt} is in the future`, 'adjustment-in-future');
  }
  const ledger = location.ledgers.get(cmd.sku);
  const moves = ledger === undefined || movementApplies(ledger, at);
  const onHand = onHandOf(location, cmd.sku);
  if (moves && cmd.quantity < 0 && onHand + cmd.quantity < 0) {
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
      occurredAt,
      recordedAt: cmd.now,
    },
  }];
}
