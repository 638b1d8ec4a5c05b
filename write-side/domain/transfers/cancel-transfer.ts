import type { DomainEvent } from '../../../schemas/types';
import type { CancelTransferCommand } from '../commands';
import { BusinessRuleViolation } from '../errors';
import { stampedAt } from '../time';
import { requireLocation, type DecisionView } from '../view';
import { requireTransfer, transferKeys } from './require-transfer';

/** Only a transfer that has not left can be cancelled; cancelling twice decides nothing. */
export function decideCancelTransfer(cmd: CancelTransferCommand, view: DecisionView): DomainEvent[] {
  const transfer = requireTransfer(view, cmd.transferId);
  const origin = requireLocation(view, transfer.fromLocationId);
  if (origin.cancelled.has(cmd.transferId)) return [];
  if (origin.dispatched.has(cmd.transferId)) {
    throw new BusinessRuleViolation(`transfer ${cmd.transferId} is already dispatched`, 'transfer-dispatched');
  }
  return [{
    type: 'TransferCancelled',
    data: { ...transferKeys(transfer), ...(cmd.reason !== undefined && { reason: cmd.reason }), ...stampedAt(cmd.now) },
  }];
}
