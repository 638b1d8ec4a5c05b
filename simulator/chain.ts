/**
 * The simulated chain: N stores and a warehouse, M SKUs with unit costs, shelf prices, pack
 * sizes and a supplier each, suppliers with a nominal lead time; and the world's randomness
 * that is not demand (actual lead times, transit times, shrinkage, returns), keyed so both
 * policies draw the same numbers.
 */
import { createDemandModel, type DemandModel } from './demand';
import { rngFor } from './random';

export interface SimOptions {
  readonly stores: number;
  readonly skus: number;
  readonly days: number;
  readonly seed: number;
  /** Silent shrinkage: chance per store × SKU × day that one unit disappears (default 0.004). */
  readonly shrinkChance?: number;
  /** Chance per store × SKU × day with sales in the last week that a customer returns one unit (default 0.01). */
  readonly returnChance?: number;
}

export interface SimSku {
  readonly sku: string;
  readonly name: string;
  /** Minor units (cents). */
  readonly unitCost: number;
  readonly price: number;
  readonly packSize: number;
  readonly supplier: number;
}

export interface SimSupplier {
  readonly id: string;
  readonly name: string;
  readonly leadTimeDays: number;
}

export interface Chain {
  readonly options: Required<SimOptions>;
  readonly stores: readonly string[];
  readonly warehouse: string;
  readonly skus: readonly SimSku[];
  readonly suppliers: readonly SimSupplier[];
  readonly demand: DemandModel;
  /** Days from sending a purchase order to its delivery: nominal −1 … +3, at least 1. */
  actualLeadTime(supplier: number, location: string, orderDay: number): number;
  /** Days a dispatched transfer takes: 1, sometimes 2. */
  transitDays(transferId: string, day: number): number;
  /** Does one unit vanish from the shelf of (store, sku) on `day`? */
  shrinks(store: number, sku: number, day: number): boolean;
  /** Does a customer bring one unit of (store, sku) back on `day` (given sales in the last week)? */
  returns(store: number, sku: number, day: number): boolean;
}

/** Day 0 is a Monday (the weekday shape starts on Monday). */
export const START = Date.UTC(2026, 0, 5);
export const DAY_MS = 86_400_000;
/** Days of history before either policy decides anything of its own (both run the same warm-up). */
export const WARM_UP_DAYS = 28;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function createChain(input: SimOptions): Chain {
  const options: Required<SimOptions> = { shrinkChance: 0.004, returnChance: 0.01, ...input };
  const { seed } = options;
  const demand = createDemandModel(options);
  const supplierCount = Math.max(2, Math.ceil(options.skus / 40));
  const suppliers = Array.from({ length: supplierCount }, (_, i) => ({
    id: `SUP-${pad(i + 1, 2)}`, name: `Supplier ${i + 1}`, leadTimeDays: rngFor(seed, 'supplier', i).int(3, 10),
  }));
  const skus = Array.from({ length: options.skus }, (_, k) => {
    const r = rngFor(seed, 'sku-terms', k);
    const unitCost = Math.round(Math.exp(r.between(Math.log(100), Math.log(5000))));
    const d = demand.skus[k]!;
    // Chain-wide units a day at average size: fast movers come in bigger packs.
    const chainDaily = (d.kind === 'regular' ? d.baseRate : d.saleProbability * d.meanSize) * options.stores;
    const packSize = chainDaily > 40 ? r.pick([12, 24]) : chainDaily > 8 ? r.pick([6, 12]) : r.pick([1, 1, 6]);
    return {
      sku: `SKU-${pad(k + 1, 4)}`, name: `Product ${k + 1}`, unitCost, price: Math.round(unitCost * r.between(1.4, 2.0)), packSize,
      supplier: r.int(0, supplierCount - 1),
    };
  });
  return {
    options,
    stores: Array.from({ length: options.stores }, (_, s) => `S${pad(s + 1, 2)}`),
    warehouse: 'W01',
    skus,
    suppliers,
    demand,
    // Keyed by what both policies share (supplier, location, day), not by order ids, which differ.
    actualLeadTime: (supplier, location, orderDay) =>
      Math.max(1, suppliers[supplier]!.leadTimeDays + rngFor(seed, 'lead-time', supplier, location, orderDay).int(-1, 3)),
    transitDays: (transferId, day) => (rngFor(seed, 'transit', transferId, day).next() < 0.2 ? 2 : 1),
    shrinks: (s, k, day) => rngFor(seed, 'shrink', s, k, day).next() < options.shrinkChance,
    returns: (s, k, day) => rngFor(seed, 'return', s, k, day).next() < options.returnChance,
  };
}
