import type { DomainEvent } from '../../../schemas/types';
import type { CountStockCommand } from '../commands';
import { BusinessRuleViolation } from '../errors';
import { countKey } from '../idempotency';
import { balanceAt } from './sku-ledger';
import { assertDistinctSkus } from './lines';
import { CLOCK_SKEW_MS, HORIZON_MS, toMillis } from '../time';
import { requireLocation, requireProducts, type DecisionView } from '../view';

/**
 * A physical count sets the balance as of `countedAt`. The book quantity is the balance the log
 * gives for that instant (on hand minus what occurred later); the count's adjustment is
 * counted - book, so movements that occurred after `countedAt` still apply on top.
 */
export function decideCountStock(cmd: CountStockCommand, view: DecisionView): DomainEvent[] {
  const location = requireLocation(view, cmd.locationId);
  requireProducts(view, cmd.lines.map((l) => l.sku));
  assertDistinctSkus(cmd.lines);
  if (location.seen.has(countKey(cmd.countId))) return [];

  const countedAt = toMillis(cmd.countedAt);
  const now = toMillis(cmd.now);
  if (countedAt > now + CLOCK_SKEW_MS) {
    throw new BusinessRuleViolation(`countedAt ${cmd.countedAt} is in the future`, 'count-in-future');
  }
  // Movements before the horizon are pruned from state: an older book quantity cannot be known.
  if (countedAt < Math.max(now - HORIZON_MS, location.horizonStart)) {
    throw new BusinessRuleViolation(`countedAt ${cmd.countedAt} is older than 7 days`, 'count-too-old');
  }
  const lines = cmd.lines.map(({ sku, countedQuantity, unitCost }) => {
    const ledger = location.ledgers.get(sku);
    if (ledger?.lastCountAt !== undefined && ledger.lastCountAt >= countedAt) {
      throw new BusinessRuleViolation(`${sku} at ${cmd.locationId} was counted again later`, 'count-superseded');
    }
    const bookQuantity = balanceAt(ledger, countedAt);
    return { sku, countedQuantity, bookQuantity, adjustment: countedQuantity - bookQuantity, ...(unitCost !== undefined && { unitCost }) };
  });
  return [{
    type: 'StockCounted',
    data: { locationId: cmd.locationId, countId: cmd.countId, lines, occurredAt: cmd.countedAt, recordedAt: cmd.now },
  }];
}
