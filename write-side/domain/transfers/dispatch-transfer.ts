import type { DomainEvent } from '../../../schemas/types';
import type { DispatchTransferCommand } from '../commands';
import { BusinessRuleViolation } from '../errors';
import { onHandOf } from '../locations/location-state';
import { stampedAt } from '../time';
import { requireLocation, type DecisionView } from '../view';
import { requireTransfer, transferKeys } from './require-transfer';

/**
 * Stock leaves the origin. Decided on the origin's state and appended to the origin stream at
 * its expected revision: two dispatches can never both take the last unit. Dispatching a
 * dispatched transfer again decides nothing (idempotent repeat).
 */
export function decideDispatchTransfer(cmd: DispatchTransferCommand, view: DecisionView): DomainEvent[] {
  const transfer = requireTransfer(view, cmd.transferId);
  const origin = requireLocation(view, transfer.fromLocationId);
  if (origin.dispatched.has(cmd.transferId)) return [];
  if (origin.cancelled.has(cmd.transferId)) {
    throw new BusinessRuleViolation(`transfer ${cmd.transferId} was cancelled`, 'transfer-cancelled');
  }
  for (const line of transfer.lines) {
    const onHand = onHandOf(origin, line.sku);
    if (line.quantity > onHand) {
      throw new BusinessRuleViolation(
        `cannot dispatch ${line.quantity} of ${line.sku} from ${transfer.fromLocationId}: ${onHand} on hand`, 'insufficient-stock');
    }
  }
  return [{ type: 'TransferDispatched', data: { ...transferKeys(transfer), lines: [...transfer.lines], ...stampedAt(cmd.now) } }];
}
