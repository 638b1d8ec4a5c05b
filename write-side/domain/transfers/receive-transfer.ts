import type { DomainEvent } from '../../../schemas/types';
import type { ReceiveTransferCommand } from '../commands';
import { BusinessRuleViolation, InvalidCommand } from '../errors';
import type { KeyedReceipt, LocationState, SkuQuantity } from '../locations/location-state';
import { mergeLines } from '../stock/lines';
import { stampedAt } from '../time';
import { requireLocation, type DecisionView } from '../view';
import { requireTransfer, transferKeys } from './require-transfer';

/** Units dispatched but not yet received at the destination, per sku (dispatch order). */
export function outstandingOf(dispatched: readonly SkuQuantity[], destination: LocationState, transferId: string): Map<string, number> {
  const received = destination.arrivals.get(transferId)?.received;
  const outstanding = new Map<string, number>();
  for (const line of dispatched) outstanding.set(line.sku, line.quantity - (received?.get(line.sku) ?? 0));
  return outstanding;
}

const sameLines = (a: readonly SkuQuantity[], b: readonly SkuQuantity[]): boolean => {
  const key = (lines: readonly SkuQuantity[]) => lines.map((l) => `${l.sku}\u0000${l.quantity}`).sort().join('\u0001');
  return key(a) === key(b);
};

/**
 * Is this command the same delivery as the keyed receipt already recorded? Lines given: the same
 * units per sku (zero lines ignored, as the event drops them). No lines ("everything outstanding"):
 * only a receipt that completed the transfer can have been one. A final repeat of a receipt that
 * left the transfer open is another delivery.
 */
function repeats(cmd: ReceiveTransferCommand, original: KeyedReceipt): boolean {
  if (cmd.final && !original.completed) return false;
  if (!cmd.lines) return original.completed;
  return sameLines(mergeLines(cmd.lines).filter((l) => l.quantity > 0), original.lines);
}

/**
 * Stock arrives at the destination: decided with the origin's record of what left and the
 * destination's record of what already arrived, appended to the destination stream at its
 * expected revision. No lines = everything outstanding. `final` (the default) records whatever
 * is still outstanding as shortfall and completes the transfer; `final: false` leaves it in transit.
 * With a `receiptId` the delivery applies once: its repeat decides nothing (even after the transfer
 * completed), the same id with other lines is refused.
 */
export function decideReceiveTransfer(cmd: ReceiveTransferCommand, view: DecisionView): DomainEvent[] {
  const transfer = requireTransfer(view, cmd.transferId);
  const origin = requireLocation(view, transfer.fromLocationId);
  const destination = requireLocation(view, transfer.toLocationId);
  const original = cmd.receiptId === undefined ? undefined : destination.arrivals.get(cmd.transferId)?.receipts.get(cmd.receiptId);
  if (original) {
    if (repeats(cmd, original)) return [];
    throw new BusinessRuleViolation(
      `receipt ${cmd.receiptId} of transfer ${cmd.transferId} was already recorded with other lines or another "final"`, 'receipt-id-reused');
  }
  if (origin.cancelled.has(cmd.transferId)) {
    throw new BusinessRuleViolation(`transfer ${cmd.transferId} was cancelled`, 'transfer-cancelled');
  }
  const dispatched = origin.dispatched.get(cmd.transferId);
  if (!dispatched) throw new BusinessRuleViolation(`transfer ${cmd.transferId} has not been dispatched`, 'transfer-not-dispatched');
  if (destination.arrivals.get(cmd.transferId)?.completed) {
    throw new BusinessRuleViolation(`transfer ${cmd.transferId} is already received`, 'transfer-completed');
  }

  const outstanding = outstandingOf(dispatched, destination, cmd.transferId);
  const requested = cmd.lines
    ? mergeLines(cmd.lines)
    : [...outstanding].map(([sku, quantity]) => ({ sku, quantity }));
  for (const line of requested) {
    const left = outstanding.get(line.sku) ?? 0;
    if (line.quantity > left) {
      throw new BusinessRuleViolation(
        `cannot receive ${line.quantity} of ${line.sku} on transfer ${cmd.transferId}: ${left} outstanding`, 'exceeds-outstanding');
    }
  }
  const lines = requested.filter((l) => l.quantity > 0);
  const remaining = [...outstanding]
    .map(([sku, quantity]) => ({ sku, quantity: quantity - (lines.find((l) => l.sku === sku)?.quantity ?? 0) }))
    .filter((l) => l.quantity > 0);
  const completed = cmd.final || remaining.length === 0;
  if (lines.length === 0 && !completed) throw new InvalidCommand('nothing to receive', 'nothing-to-receive');
  return [{
    type: 'TransferReceived',
    data: {
      ...transferKeys(transfer),
      lines,
      shortfall: completed ? remaining : [],
      completed,
      ...(cmd.receiptId !== undefined && { receiptId: cmd.receiptId }),
      ...stampedAt(cmd.now),
    },
  }];
}
