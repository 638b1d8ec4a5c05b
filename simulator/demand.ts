/**
 * The demand of a simulated chain: per store × SKU × day, from known processes, seeded.
 *
 *   regular SKU:      Poisson(base × storeSize × weekday[wd] × trend(day) × promotion(day))
 *   intermittent SKU: on a day, a sale with probability min(0.95, p × storeSize × weekday × trend × promotion),
 *                     of 1 + Poisson(meanSize − 1) units
 *
 * `expected` is the exact mean of `demand`, so a test can check the generator against it.
 * Every draw is keyed (random.ts): the same (seed, store, SKU, day) gives the same demand to
 * both policies, whichever asks first.
 */
import { rngFor } from './random';

/** Monday first; mean exactly 1 (Friday and Saturday busy, Sunday quiet). */
export const WEEKDAY_SHAPE: readonly number[] = (() => {
  const raw = [0.85, 0.9, 0.95, 1.0, 1.2, 1.4, 0.7];
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  return raw.map((x) => x / mean);
})();

export interface Promotion {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly uplift: number;
}

export interface SkuDemand {
  readonly kind: 'regular' | 'intermittent';
  /** regular: units a day at a store of size 1 on an average weekday, before trend and promotions. */
  readonly baseRate: number;
  /** intermittent: the chance of a sale on a day at a store of size 1. */
  readonly saleProbability: number;
  /** intermittent: mean units of a sale (≥ 1). */
  readonly meanSize: number;
  /** Relative change of demand over a year (linear, floored at 0.2 of the start). */
  readonly trendPerYear: number;
  /** Chain-wide promotion spikes. */
  readonly promotions: readonly Promotion[];
}

export interface DemandOptions {
  readonly seed: number;
  readonly stores: number;
  readonly skus: number;
  readonly days: number;
  /** Share of SKUs that sell on few days (default 0.25). */
  readonly intermittentShare?: number;
  /** Chance per SKU and week that a promotion starts (default 0.04). */
  readonly promotionChance?: number;
}

export interface DemandModel {
  readonly storeSizes: readonly number[];
  readonly skus: readonly SkuDemand[];
  /** Exact mean of `demand(store, sku, day)`. */
  expected(store: number, sku: number, day: number): number;
  /** The chance that (store, sku, day) has any demand (regular: 1 − e^−λ). */
  saleDayProbability(store: number, sku: number, day: number): number;
  demand(store: number, sku: number, day: number): number;
}

export function createDemandModel(options: DemandOptions): DemandModel {
  const { seed } = options;
  const intermittentShare = options.intermittentShare ?? 0.25;
  const promotionChance = options.promotionChance ?? 0.04;

  // Store sizes: most between 0.6 and 1.4, every seventh a large flagship.
  const storeSizes = Array.from({ length: options.stores }, (_, s) => {
    const r = rngFor(seed, 'store-size', s);
    return Math.round((s % 7 === 0 ? r.between(1.6, 2.2) : r.between(0.6, 1.4)) * 100) / 100;
  });

  const skus: SkuDemand[] = Array.from({ length: options.skus }, (_, k) => {
    const r = rngFor(seed, 'sku', k);
    const intermittent = r.next() < intermittentShare;
    const promotions: Promotion[] = [];
    for (let week = 0; week * 7 < options.days; week += 1) {
      const p = rngFor(seed, 'promotion', k, week);
      if (p.next() < promotionChance) {
        const start = week * 7 + p.int(0, 6);
        promotions.push({ start, end: start + p.int(3, 7), uplift: Math.round(p.between(1.5, 3) * 100) / 100 });
      }
    }
    return {
      kind: intermittent ? 'intermittent' : 'regular',
      baseRate: intermittent ? 0 : Math.exp(r.between(Math.log(0.3), Math.log(8))),
      saleProbability: intermittent ? r.between(0.05, 0.3) : 0,
      meanSize: intermittent ? r.between(1, 3) : 1,
      trendPerYear: r.between(-0.4, 0.6),
      promotions,
    };
  });

  const multiplier = (s: number, k: number, day: number): number => {
    const sku = skus[k]!;
    const trend = Math.max(0.2, 1 + sku.trendPerYear * (day / 365));
    const promo = sku.promotions.find((p) => day >= p.start && day < p.end)?.uplift ?? 1;
    return storeSizes[s]! * WEEKDAY_SHAPE[day % 7]! * trend * promo;
  };
  const intermittentChance = (s: number, k: number, day: number) => Math.min(0.95, skus[k]!.saleProbability * multiplier(s, k, day));

  return {
    storeSizes,
    skus,
    expected(s, k, day) {
      const sku = skus[k]!;
      return sku.kind === 'regular' ? sku.baseRate * multiplier(s, k, day) : intermittentChance(s, k, day) * sku.meanSize;
    },
    saleDayProbability(s, k, day) {
      const sku = skus[k]!;
      return sku.kind === 'regular' ? 1 - Math.exp(-sku.baseRate * multiplier(s, k, day)) : intermittentChance(s, k, day);
    },
    demand(s, k, day) {
      const sku = skus[k]!;
      const r = rngFor(seed, 'demand', s, k, day);
      if (sku.kind === 'regular') return r.poisson(sku.baseRate * multiplier(s, k, day));
      return r.next() < intermittentChance(s, k, day) ? 1 + r.poisson(sku.meanSize - 1) : 0;
    },
  };
}
