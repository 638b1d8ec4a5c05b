import type { DomainEvent } from '../../../schemas/types';
import type { SetReorderPointCommand } from '../commands';
import { stampedAt } from '../time';
import { requireLocation, requireProducts, type DecisionView } from '../view';

/** Setting the same reorder point again records nothing. */
export function decideSetReorderPoint(cmd: SetReorderPointCommand, view: DecisionView): DomainEvent[] {
  const location = requireLocation(view, cmd.locationId);
  requireProducts(view, [cmd.sku]);
  if (location.ledgers.get(cmd.sku)?.reorderPoint === cmd.reorderPoint) return [];
  return [{
    type: 'ReorderPointSet',
    data: { locationId: cmd.locationId, sku: cmd.sku, reorderPoint: cmd.reorderPoint, ...stampedAt(cmd.now) },
  }];
}
