/**
 * Reads the figures suggestions and "on order" need from the read models: stock (on hand,
 * in transit), transfers created but not dispatched (planned in / reserved out), purchasing's
 * on-order, rules, active suppliers' prices and the preferred supplier per SKU.
 */
import { COLLECTIONS, type DailySalesDoc, type LocationDoc, type StockDoc, type TransferDoc } from '../../projections/models/collections';
import { DAY_MS, dayOf, stockKey } from '../../projections/models/keys';
import type { ReadStore } from '../../projections/readstore/port';
import { PURCHASING, type OnOrderDoc, type PreferredDoc, type PurchaseOrderDoc, type ReorderRuleDoc, type SupplierDoc } from '../projection/collections';
import { LEAD_TIME_SAMPLE, observedLeadTimes } from './lead-times';
import { chooseOffer, type Offer, type ReorderPointProvider, type StockPosition, type SuggestInput } from './suggest';

export async function stockPositions(store: ReadStore): Promise<StockPosition[]> {
  const [stock, onOrder, planned] = await Promise.all([
    store.find<StockDoc>(COLLECTIONS.stock, {}),
    store.find<OnOrderDoc>(PURCHASING.onOrder, {}),
    store.find<TransferDoc>(COLLECTIONS.transfers, { where: { status: 'created' } }),
  ]);
  const byKey = new Map<string, { -readonly [K in keyof StockPosition]: StockPosition[K] }>();
  const at = (locationId: string, sku: string) => {
    const k = stockKey(locationId, sku);
    let p = byKey.get(k);
    if (!p) byKey.set(k, (p = { locationId, sku, onHand: 0, inTransitIn: 0, plannedIn: 0, onOrder: 0, reservedOut: 0 }));
    return p;
  };
  for (const d of stock) Object.assign(at(d.locationId, d.sku), { onHand: d.onHand, inTransitIn: d.inTransitIn });
  for (const d of onOrder) if (d.onOrder !== 0) at(d.locationId, d.sku).onOrder = d.onOrder;
  for (const t of planned) {
    for (const l of t.lines) {
      at(t.toLocationId, l.sku).plannedIn += l.quantity;
      at(t.fromLocationId, l.sku).reservedOut += l.quantity;
    }
  }
  return [...byKey.values()].sort((a, b) => (stockKey(a.locationId, a.sku) < stockKey(b.locationId, b.sku) ? -1 : 1));
}

export async function activeOffers(store: ReadStore): Promise<Offer[]> {
  const [suppliers, preferred] = await Promise.all([
    store.find<SupplierDoc>(PURCHASING.suppliers, { where: { active: true } }),
    store.find<PreferredDoc>(PURCHASING.preferred, {}),
  ]);
  const preferredOf = new Map(preferred.map((p) => [p.sku, p.supplierId]));
  return suppliers.flatMap((s) => s.prices.map((p) => ({
    supplierId: s.supplierId, sku: p.sku, unitCost: p.unitCost, minOrderQuantity: p.minOrderQuantity, packSize: p.packSize,
    currency: s.currency, preferred: preferredOf.get(p.sku) === s.supplierId, leadTimeDays: s.leadTimeDays,
  })));
}

/** Days of sales the demand of a days-of-cover rule is averaged over. */
export const DEMAND_WINDOW_DAYS = 28;

/** Net units sold per day per `location|sku` over the 28 whole days before `now` (for the given pairs). */
export async function dailyDemand(store: ReadStore, pairs: ReadonlyArray<{ locationId: string; sku: string }>, now: Date): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (pairs.length === 0) return out;
  const from = dayOf(new Date(now.getTime() - DEMAND_WINDOW_DAYS * DAY_MS).toISOString());
  const to = dayOf(now.toISOString());
  const skus = [...new Set(pairs.map((p) => p.sku))];
  const wanted = new Set(pairs.map((p) => stockKey(p.locationId, p.sku)));
  const docs = await store.find<DailySalesDoc>(COLLECTIONS.dailySales, { where: { sku: { in: skus }, date: { gte: from, lt: to } } });
  for (const d of docs) {
    const k = stockKey(d.locationId, d.sku);
    if (wanted.has(k)) out.set(k, (out.get(k) ?? 0) + (d.sold - d.returned) / DEMAND_WINDOW_DAYS);
  }
  return out;
}

/**
 * Days between two looks at the suggestions the reorder point allows for. Suggestions are live
 * (recomputed on every read), and a manager acting on them daily orders at most a day after a
 * position falls below its point: that order arrives a lead time later, so the point covers
 * the lead time plus this day.
 */
export const REVIEW_INTERVAL_DAYS = 1;
/**
 * Days of demand an order brings above the reorder point (the order cycle; packs and MOQ may
 * round it up). Short, because the review is daily: a longer cycle only holds more stock.
 */
export const ORDER_CYCLE_DAYS = 3;
/**
 * The chance that an order cycle ends without a stockout. Daily review and a 3-day cycle
 * make it about 1 − (1 − 0.98) / 3 ≈ 99.3 % of days without one; 95 % (z 1.64) measured a fill
 * rate of 0.967 in the simulation, 98 % (z 2.05) 0.976-0.981 (docs/simulation.md).
 */
export const SUGGESTION_SERVICE_LEVEL = 0.98;

export async function suggestInput(store: ReadStore, provider?: ReorderPointProvider, now: Date = new Date()): Promise<SuggestInput> {
  const [positions, rules, offers, locations] = await Promise.all([
    stockPositions(store),
    store.find<ReorderRuleDoc>(PURCHASING.rules, {}),
    activeOffers(store),
    store.find<LocationDoc>(COLLECTIONS.locations, {}),
  ]);
  const provided = new Map<string, { reorderPoint: number; orderUpTo: number; reason: string }>();
  if (provider) {
    const pairs = new Set([...positions.map((p) => stockKey(p.locationId, p.sku)), ...rules.map((r) => stockKey(r.locationId, r.sku))]);
    const offersOf = new Map<string, Offer[]>();
    for (const o of offers) offersOf.set(o.sku, [...(offersOf.get(o.sku) ?? []), o]);
    const nominal = new Map(offers.filter((o) => o.leadTimeDays !== undefined).map((o) => [o.supplierId, o.leadTimeDays!]));
    // Each supplier's latest deliveries (`receivedAt` is a string once anything arrived).
    const delivered = await Promise.all([...nominal.keys()].map((supplierId) => store.find<PurchaseOrderDoc>(PURCHASING.orders, {
      where: { supplierId, receivedAt: { gte: '' } }, orderBy: [['receivedAt', 'desc']], limit: LEAD_TIME_SAMPLE,
    })));
    const leadTimes = observedLeadTimes(delivered.flat(), nominal);
    for (const pair of pairs) {
      const [locationId, sku] = pair.split('|') as [string, string];
      // Plan over the lead time of the supplier the SKU would be bought from, as its deliveries showed it.
      const offer = chooseOffer(offersOf.get(sku) ?? []);
      const lead = offer && leadTimes.get(offer.supplierId);
      const answer = await provider(locationId, sku, lead
        ? { leadTimeDays: lead.days, leadTimeSdDays: lead.sdDays, reviewIntervalDays: REVIEW_INTERVAL_DAYS, reviewDays: ORDER_CYCLE_DAYS, serviceLevel: SUGGESTION_SERVICE_LEVEL }
        : { reviewIntervalDays: REVIEW_INTERVAL_DAYS, reviewDays: ORDER_CYCLE_DAYS, serviceLevel: SUGGESTION_SERVICE_LEVEL });
      if (answer) provided.set(pair, answer);
    }
  }
  const demand = await dailyDemand(store, rules.filter((r) => r.targetDaysOfCover !== undefined), now);
  return {
    positions, offers, provided, dailyDemand: demand,
    rules: rules.map((r) => ({
      locationId: r.locationId, sku: r.sku, min: r.min, max: r.max, ...(r.targetDaysOfCover !== undefined && { targetDaysOfCover: r.targetDaysOfCover }),
    })),
    locationTypes: new Map(locations.map((l) => [l.id, l.type])),
  };
}
