/**
 * Balances at an instant, answered from the ledger rather than by replaying the log:
 * the last count of (location, SKU) that occurred at or before `at` gives the base, and
 * every movement that occurred after that count and at or before `at` is added on top.
 *
 * Rows are chosen by occurredAt, not by arrival, so a sale from a till that was offline for
 * hours lands in the answer for the instant it happened. A movement that a *later* count
 * absorbed (`effective: false`) still counts for instants before that count, when it had
 * physically happened and no count had yet reflected it; for instants after that count, the
 * count itself is the base and the movement lies before it. So `effective` is not needed here.
 */
import type { ReadStore } from '../readstore/port';
import { COLLECTIONS, type LedgerDoc, type StockDoc } from './collections';
import { iso } from './keys';
import { locationCondition, where, type LocationScope } from './scope';

export interface BalanceAsOf {
  readonly locationId: string;
  readonly sku: string;
  readonly onHand: number;
  /** The count the balance starts from, if any. */
  readonly countedAt?: string;
}

export async function balanceAsOf(store: ReadStore, locationId: string, sku: string, at: string): Promise<BalanceAsOf> {
  const t = iso(at);
  const [count] = await store.find<LedgerDoc>(COLLECTIONS.ledger, {
    where: { locationId, sku, type: 'count', occurredAt: { lte: t } },
    orderBy: [['occurredAt', 'desc'], ['_id', 'desc']],
    limit: 1,
  });
  const rows = await store.find<LedgerDoc>(COLLECTIONS.ledger, {
    where: { locationId, sku, occurredAt: count ? { gt: count.occurredAt, lte: t } : { lte: t } },
  });
  const delta = rows.reduce((sum, row) => (row.type === 'count' ? sum : sum + row.quantity), 0);
  return {
    locationId, sku, onHand: (count?.countedQuantity ?? 0) + delta,
    ...(count ? { countedAt: count.occurredAt } : {}),
  };
}

/** Balances at `at` for every (location, SKU) in scope that has a stock document. */
export async function stockAsOf(
  store: ReadStore,
  options: { at: string; scope: LocationScope; locationId?: string; sku?: string },
): Promise<BalanceAsOf[]> {
  const pairs = await store.find<StockDoc>(COLLECTIONS.stock, {
    where: where({ locationId: locationCondition(options.scope, options.locationId), sku: options.sku }),
    orderBy: [['locationId', 'asc'], ['sku', 'asc']],
  });
  const out: BalanceAsOf[] = [];
  for (const pair of pairs) out.push(await balanceAsOf(store, pair.locationId, pair.sku, options.at));
  return out;
}
