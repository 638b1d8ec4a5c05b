import { isDeepStrictEqual } from 'node:util';
import type { DomainEvent } from '../../../schemas/types';
import type { CreateTransferCommand } from '../commands';
import { BusinessRuleViolation, InvalidCommand } from '../errors';
import { mergeLines } from '../stock/lines';
import { stampedAt } from '../time';
import { requireLocation, requireProducts, type DecisionView } from '../view';

/**
 * Plans a move of stock between two locations (nothing moves yet). Re-sending the same id with
 * the same content decides nothing; the same id with other content is a conflict.
 */
export function decideCreateTransfer(cmd: CreateTransferCommand, view: DecisionView): DomainEvent[] {
  if (cmd.fromLocationId === cmd.toLocationId) {
    throw new InvalidCommand('a transfer needs two different locations', 'same-location');
  }
  requireLocation(view, cmd.fromLocationId);
  requireLocation(view, cmd.toLocationId);
  const lines = mergeLines(cmd.lines);
  requireProducts(view, lines.map((l) => l.sku));
  const existing = view.transfer(cmd.transferId);
  if (existing.created) {
    const same = existing.fromLocationId === cmd.fromLocationId && existing.toLocationId === cmd.toLocationId &&
      isDeepStrictEqual(existing.lines, lines);
    if (same) return [];
    throw new BusinessRuleViolation(`transfer ${cmd.transferId} already exists`, 'transfer-exists');
  }
  return [{
    type: 'TransferCreated',
    data: {
      transferId: cmd.transferId, fromLocationId: cmd.fromLocationId, toLocationId: cmd.toLocationId, lines, ...stampedAt(cmd.now),
    },
  }];
}
