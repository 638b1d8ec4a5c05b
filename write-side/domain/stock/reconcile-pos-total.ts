import type { DomainEvent } from '../../../schemas/types';
import type { ReconcilePosTotalCommand } from '../commands';
import { BusinessRuleViolation } from '../errors';
import { posTotalKey } from '../idempotency';
import { HORIZON_MS, toMillis } from '../time';
import { balanceAt } from './sku-ledger';
import { requireLocation, requireProducts, type DecisionView } from '../view';

/** Our balance at `observedAt` (same ordering rule as counts), for comparing with a POS total. */
export function ourQuantityAt(cmd: ReconcilePosTotalCommand, view: DecisionView): number {
  const location = requireLocation(view, cmd.locationId);
  const observedAt = toMillis(cmd.observedAt);
  if (observedAt < Math.max(toMillis(cmd.now) - HORIZON_MS, location.horizonStart)) {
    throw new BusinessRuleViolation(`observation at ${cmd.observedAt} is older than 7 days`, 'observation-too-old');
  }
  return balanceAt(location.ledgers.get(cmd.sku), observedAt);
}

/**
 * A POS reports a total, not a change: it is an observation. When it differs from our balance
 * at that instant both numbers are recorded; the balance is never overwritten.
 */
export function decideReconcilePosTotal(cmd: ReconcilePosTotalCommand, view: DecisionView): DomainEvent[] {
  const location = requireLocation(view, cmd.locationId);
  requireProducts(view, [cmd.sku]);
  if (location.seen.has(posTotalKey(cmd.connectionId, cmd.posEventId))) return [];
  const ourQuantity = ourQuantityAt(cmd, view);
  const difference = cmd.posQuantity - ourQuantity;
  if (difference === 0) return [];
  return [{
    type: 'PosDiscrepancyRecorded',
    data: {
      locationId: cmd.locationId,
      sku: cmd.sku,
      connectionId: cmd.connectionId,
      posEventId: cmd.posEventId,
      posQuantity: cmd.posQuantity,
      ourQuantity,
      difference,
      occurredAt: cmd.observedAt,
      recordedAt: cmd.now,
    },
  }];
}
