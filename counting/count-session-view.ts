/**
 * A count session as people see it (GET /api/count-sessions/{id}): counted per SKU, and for
 * whoever may see it (not staff in a blind session) the quantity expected as of the session's
 * start, the variance and, for those who see costs, its value. Expected comes from the ledger
 * (balanceAsOf), so a sale rung up during the count does not move the reference.
 */
import { balanceAsOf } from '../projections/models/as-of';
import { COLLECTIONS, type ProductDoc, type StockDoc } from '../projections/models/collections';
import type { ReadStore } from '../projections/readstore/port';
import type { Principal } from '../server/http/access';
import { seesCosts } from '../server/http/access';
import type { CountSessionDoc } from './count-session-projection';

export interface SessionLineView {
  sku: string;
  name?: string;
  counted: number;
  expected?: number;
  variance?: number;
  varianceValue?: number;
  recount?: true;
  countedBy?: string[];
  firstCountedAt?: string;
}

/** Expected quantities are hidden from counters of a blind session; managers always see them. */
export const seesExpected = (p: Pick<Principal, 'role'>, session: Pick<CountSessionDoc, 'blind'>): boolean =>
  !session.blind || (p.role !== 'staff');

/** The SKUs a review lists beside those counted: the scope's, or every SKU the location has stock documents for. */
async function scopeSkus(store: ReadStore, session: CountSessionDoc): Promise<string[]> {
  if (session.scope.skus) return [...session.scope.skus];
  const docs = await store.find<StockDoc>(COLLECTIONS.stock, { where: { locationId: session.locationId } });
  return docs.map((d) => d.sku);
}

export async function sessionView(store: ReadStore, p: Principal, session: CountSessionDoc) {
  const expectedShown = seesExpected(p, session);
  const costs = seesCosts(p);
  const counted = new Map(session.lines.map((l) => [l.sku, l]));
  const skus = new Set([...counted.keys(), ...session.recount, ...(expectedShown ? await scopeSkus(store, session) : [])]);
  const lines: SessionLineView[] = [];
  for (const sku of [...skus].sort()) {
    const line = counted.get(sku);
    const product = await store.get<ProductDoc>(COLLECTIONS.products, sku);
    const view: SessionLineView = {
      sku, ...(product && { name: product.name }), counted: line?.counted ?? 0,
      ...(session.recount.includes(sku) && { recount: true as const }),
      ...(line && { countedBy: line.countedBy, firstCountedAt: line.firstCountedAt }),
    };
    if (expectedShown) {
      const expected = (await balanceAsOf(store, session.locationId, sku, session.openedAt)).onHand;
      const variance = view.counted - expected;
      Object.assign(view, { expected, variance }, costs && product?.unitCost !== undefined ? { varianceValue: variance * product.unitCost } : {});
    }
    lines.push(view);
  }
  const { _id, positionKey: _k, position: _p, sessionId, status, lines: _l, ...rest } = session;
  return {
    ...rest,
    id: sessionId,
    // The contract's statuses: a session whose posting has begun is posted (postingComplete tells whether every count is in).
    status: status === 'posting' ? 'posted' as const : status,
    ...((status === 'posting' || status === 'posted') && { postingComplete: status === 'posted' }),
    lines,
  };
}
