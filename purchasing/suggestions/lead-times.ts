/**
 * Each supplier's lead time as its deliveries showed it, for the reorder point: the nominal
 * `leadTimeDays` on the supplier is a promise, and a supplier who is a day late on average, or
 * sometimes three, empties shelves that a reorder point over the promise would not protect.
 *
 * An observation is one sent purchase order's days from sending to its first receipt (a
 * partial delivery counts: units reached the shelf). The latest `LEAD_TIME_SAMPLE` deliveries
 * per supplier (by when they arrived) give the mean, planned over in whole days (rounded up: a delivery 4.4 days out
 * is not on the shelf for the fifth day's sales) and the standard deviation, which the safety
 * stock covers. Fewer than `MIN_OBSERVATIONS`: the nominal lead time, without a spread.
 */
import type { PurchaseOrderDoc } from '../projection/collections';

export const LEAD_TIME_SAMPLE = 20;
export const MIN_OBSERVATIONS = 3;

export interface LeadTime {
  /** Whole days to plan over. */
  readonly days: number;
  /** Standard deviation of the observed lead times, days (0 without observations). */
  readonly sdDays: number;
  readonly observations: number;
}

const DAY_MS = 86_400_000;

/** Lead times per supplier id, from the purchase orders (any status) and the suppliers' nominal lead times. */
export function observedLeadTimes(
  orders: ReadonlyArray<Pick<PurchaseOrderDoc, 'supplierId' | 'sentAt' | 'receipts'>>,
  nominal: ReadonlyMap<string, number>,
): Map<string, LeadTime> {
  const samples = new Map<string, Array<{ arrived: string; days: number }>>();
  for (const o of orders) {
    const first = o.receipts.reduce<string | undefined>((min, r) => (min === undefined || r.at < min ? r.at : min), undefined);
    if (!o.sentAt || !first) continue;
    const days = (Date.parse(first) - Date.parse(o.sentAt)) / DAY_MS;
    if (!Number.isFinite(days) || days < 0) continue; // received before it was sent: not a delivery time
    samples.set(o.supplierId, [...(samples.get(o.supplierId) ?? []), { arrived: first, days }]);
  }
  const out = new Map<string, LeadTime>();
  for (const [supplierId, days] of nominal) out.set(supplierId, { days, sdDays: 0, observations: 0 });
  for (const [supplierId, all] of samples) {
    const recent = all.sort((a, b) => (a.arrived < b.arrived ? -1 : a.arrived > b.arrived ? 1 : 0)).slice(-LEAD_TIME_SAMPLE).map((s) => s.days);
    if (recent.length < MIN_OBSERVATIONS) continue;
    const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
    const variance = recent.reduce((a, d) => a + (d - mean) ** 2, 0) / (recent.length - 1);
    out.set(supplierId, { days: Math.max(1, Math.ceil(mean - 1e-9)), sdDays: Math.sqrt(variance), observations: recent.length });
  }
  return out;
}
