/**
 * Reorder suggestions, as a pure function of the figures (docs/purchasing.md, "Formulas"):
 *
 *   available = onHand + inTransitIn + plannedIn + onOrder − reservedOut
 *   a (location, SKU) below its min (available < min) needs  max − available  units;
 *   surplus elsewhere = (onHand − reservedOut) − that location's max  (a warehouse without a rule:
 *   all of its free stock; a store without a rule: none), warehouses first, then the largest;
 *   transfer min(need, surplus) first, buy only the rest from the preferred supplier (else the
 *   cheapest active one): max(rest, MOQ) rounded up to whole packs.
 *   A rule with `targetDaysOfCover` N fills to (and keeps, as a source) the level
 *   clamp(ceil(daily demand × N), min, max) instead of max; daily demand = net units sold per day
 *   over the last 28 days.
 *
 * Min and max come from the reorder rules; a `ReorderPointProvider` (the forecasting seam,
 * issue 12) may answer a reorder point and an order-up-to level instead, with its own reason.
 * Suggestion ids hash what the suggestion says, so a suggestion acted on after its figures
 * moved no longer exists (stale → 409).
 */
import { createHash } from 'node:crypto';

export interface StockPosition {
  readonly locationId: string;
  readonly sku: string;
  readonly onHand: number;
  readonly inTransitIn: number;
  /** Transfers created towards this location, not yet dispatched. */
  readonly plannedIn: number;
  readonly onOrder: number;
  /** Transfers created from this location, not yet dispatched. */
  readonly reservedOut: number;
}

export interface RuleLevels {
  readonly locationId: string;
  readonly sku: string;
  readonly min: number;
  readonly max: number;
  readonly targetDaysOfCover?: number;
}

export interface Offer {
  readonly supplierId: string;
  readonly sku: string;
  readonly unitCost: number;
  readonly minOrderQuantity: number;
  readonly packSize: number;
  readonly currency: string;
  readonly preferred: boolean;
  /** The supplier's lead time: what the provider plans a reorder point over. */
  readonly leadTimeDays?: number;
}

/**
 * The forecasting seam: a reorder point and an order-up-to level for (location, SKU), and why;
 * `leadTimeDays` is that of the supplier the SKU would be bought from (absent: the provider's default).
 */
export type ReorderPointProvider = (locationId: string, sku: string, options?: {
  leadTimeDays?: number;
  /** Standard deviation of the supplier's observed lead times, days. */
  leadTimeSdDays?: number;
  /** Days until the suggestions are next acted on. */
  reviewIntervalDays?: number;
  /** Days of demand an order brings above the reorder point (the order cycle). */
  reviewDays?: number;
  /** Chance that an order cycle ends without a stockout. */
  serviceLevel?: number;
}) =>
  | { reorderPoint: number; orderUpTo: number; reason: string }
  | undefined
  | Promise<{ reorderPoint: number; orderUpTo: number; reason: string } | undefined>;

export interface SuggestInput {
  readonly positions: readonly StockPosition[];
  readonly rules: readonly RuleLevels[];
  readonly offers: readonly Offer[];
  readonly locationTypes: ReadonlyMap<string, 'store' | 'warehouse'>;
  /** Levels from the provider, per `location|sku` (resolved before calling `suggest`). */
  readonly provided?: ReadonlyMap<string, { reorderPoint: number; orderUpTo: number; reason: string }>;
  /** Net units sold per day per `location|sku` (for rules with a target days of cover); absent: 0. */
  readonly dailyDemand?: ReadonlyMap<string, number>;
}

export interface TransferSuggestion {
  readonly id: string;
  readonly kind: 'transfer';
  readonly locationId: string;
  readonly sku: string;
  readonly fromLocationId: string;
  readonly quantity: number;
  readonly available: number;
  readonly min: number;
  readonly max: number;
  readonly reason: string;
}

export interface PurchaseSuggestion {
  readonly id: string;
  readonly kind: 'purchase';
  readonly locationId: string;
  readonly sku: string;
  readonly supplierId: string;
  readonly quantity: number;
  readonly unitCost: number;
  readonly lineCost: number;
  readonly currency: string;
  readonly minOrderQuantity: number;
  readonly packSize: number;
  readonly available: number;
  readonly min: number;
  readonly max: number;
  readonly reason: string;
}

export type Suggestion = TransferSuggestion | PurchaseSuggestion;

export interface SuggestOutput {
  readonly items: Suggestion[];
  readonly unresolved: Array<{ locationId: string; sku: string; reason: string }>;
}

const key = (locationId: string, sku: string) => `${locationId}|${sku}`;
export const availableOf = (p: StockPosition): number => p.onHand + p.inTransitIn + p.plannedIn + p.onOrder - p.reservedOut;
const zero = (locationId: string, sku: string): StockPosition => ({ locationId, sku, onHand: 0, inTransitIn: 0, plannedIn: 0, onOrder: 0, reservedOut: 0 });

const idOf = (parts: readonly unknown[]): string => `sg-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 20)}`;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The supplier to buy from: the preferred one, else the cheapest (then by id). */
export function chooseOffer(offers: readonly Offer[]): Offer | undefined {
  return offers.find((o) => o.preferred) ??
    [...offers].sort((a, b) => a.unitCost - b.unitCost || byText(a.supplierId, b.supplierId))[0];
}

/** max(rest, MOQ) rounded up to whole packs. */
export const orderQuantity = (rest: number, offer: Pick<Offer, 'minOrderQuantity' | 'packSize'>): number =>
  Math.ceil(Math.max(rest, offer.minOrderQuantity) / offer.packSize) * offer.packSize;

export function suggest(input: SuggestInput): SuggestOutput {
  const positions = new Map(input.positions.map((p) => [key(p.locationId, p.sku), p]));
  /** min, max, and `upTo`: the level a target fills to and a source keeps (max, or the days-of-cover level). */
  const levels = new Map<string, { min: number; max: number; upTo: number; why?: string; cover?: string }>();
  for (const r of input.rules) {
    const k = key(r.locationId, r.sku);
    if (r.targetDaysOfCover === undefined) {
      levels.set(k, { min: r.min, max: r.max, upTo: r.max });
      continue;
    }
    const demand = input.dailyDemand?.get(k) ?? 0;
    const upTo = Math.min(r.max, Math.max(r.min, Math.ceil(demand * r.targetDaysOfCover)));
    const perDay = Math.round(demand * 100) / 100;
    levels.set(k, { min: r.min, max: r.max, upTo, cover: `${r.targetDaysOfCover} days of cover at ${perDay}/day = ${upTo}` });
  }
  for (const [k, p] of input.provided ?? []) {
    const max = Math.max(p.reorderPoint, p.orderUpTo);
    levels.set(k, { min: p.reorderPoint, max, upTo: max, why: p.reason });
  }

  // Free surplus per source, drawn down as transfers are suggested (no unit promised twice).
  const surplus = new Map<string, number>();
  const surplusOf = (locationId: string, sku: string): number => {
    const k = key(locationId, sku);
    const known = surplus.get(k);
    if (known !== undefined) return known;
    const p = positions.get(k) ?? zero(locationId, sku);
    const free = p.onHand - p.reservedOut;
    const level = levels.get(k);
    const value = Math.max(0, level ? free - level.upTo : input.locationTypes.get(locationId) === 'warehouse' ? free : 0);
    surplus.set(k, value);
    return value;
  };
  const offersBySku = new Map<string, Offer[]>();
  for (const o of input.offers) offersBySku.set(o.sku, [...(offersBySku.get(o.sku) ?? []), o]);
  // Locations holding or planning each SKU, gathered once: scanning every position and level
  // per target below min made a pass quadratic in the chain's store × SKU pairs.
  const bySku = new Map<string, Set<string>>();
  const note = (locationId: string, sku: string) => {
    let at = bySku.get(sku);
    if (!at) bySku.set(sku, (at = new Set()));
    at.add(locationId);
  };
  for (const p of input.positions) note(p.locationId, p.sku);
  for (const k of levels.keys()) {
    const [locationId, ...rest] = k.split('|');
    note(locationId!, rest.join('|'));
  }
  const locationsWith = (sku: string): string[] => [...(bySku.get(sku) ?? [])];

  const items: Suggestion[] = [];
  const unresolved: SuggestOutput['unresolved'] = [];
  const targets = [...levels.entries()].sort(([a], [b]) => byText(a, b));
  for (const [k, level] of targets) {
    const [locationId, ...rest] = k.split('|');
    const sku = rest.join('|');
    const p = positions.get(k) ?? zero(locationId!, sku);
    const available = availableOf(p);
    if (available >= level.min) continue;
    const need = level.upTo - available;
    if (need <= 0) continue;
    const head = `${level.why ? `${level.why}; ` : ''}available ${available} < min ${level.min}`;

    let transferred = 0;
    const sources = locationsWith(sku)
      .filter((l) => l !== locationId && surplusOf(l, sku) > 0)
      .sort((a, b) => Number(input.locationTypes.get(b) === 'warehouse') - Number(input.locationTypes.get(a) === 'warehouse') ||
        surplusOf(b, sku) - surplusOf(a, sku) || byText(a, b));
    for (const from of sources) {
      if (transferred >= need) break;
      const spare = surplusOf(from, sku);
      const quantity = Math.min(need - transferred, spare);
      surplus.set(key(from, sku), spare - quantity);
      transferred += quantity;
      items.push({
        id: idOf(['transfer', locationId, sku, from, quantity, available]), kind: 'transfer', locationId: locationId!, sku, fromLocationId: from,
        quantity, available, min: level.min, max: level.max,
        reason: `${head}; transfer ${quantity} from ${from} (surplus ${spare} above ${levels.get(key(from, sku))?.cover ? 'its days of cover' : 'its max'}) before buying`,
      });
    }
    const left = need - transferred;
    if (left <= 0) continue;
    const offer = chooseOffer(offersBySku.get(sku) ?? []);
    if (!offer) {
      unresolved.push({ locationId: locationId!, sku, reason: `${head}; ${left} still needed but no active supplier has a price for ${sku}` });
      continue;
    }
    const quantity = orderQuantity(left, offer);
    const steps = [
      transferred > 0 ? ` after ${transferred} by transfer` : '',
      quantity !== left ? ` (${left})` : '',
      offer.minOrderQuantity > left ? `, raised to MOQ ${offer.minOrderQuantity}` : '',
      offer.packSize > 1 ? `, rounded to pack of ${offer.packSize}` : '',
    ].join('');
    items.push({
      id: idOf(['purchase', locationId, sku, offer.supplierId, quantity, offer.unitCost, available]), kind: 'purchase',
      locationId: locationId!, sku, supplierId: offer.supplierId, quantity, unitCost: offer.unitCost, lineCost: quantity * offer.unitCost,
      currency: offer.currency, minOrderQuantity: offer.minOrderQuantity, packSize: offer.packSize, available, min: level.min, max: level.max,
      reason: `${head}; order ${quantity} = up to ${level.cover ? `${level.upTo} (${level.cover}, max ${level.max})` : `max ${level.max}`}${steps}${offer.preferred ? ` from preferred supplier ${offer.supplierId}` : ` from ${offer.supplierId} (cheapest)`}`,
    });
  }
  return { items, unresolved };
}
