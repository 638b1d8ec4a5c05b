/**
 * Where a policy loses: stockout rate and fill rate by kind of store × SKU (regular or
 * intermittent demand, pack size, supplier lead time, how fast it sells). The summary says
 * how much; this says which items, so a miss can be traced to its cause.
 */
import { WARM_UP_DAYS, type Chain } from './chain';
import type { PolicyRun } from './simulate';

export interface Group {
  /** Store × SKU pairs in the group (for the day groups: store × SKU × days). */
  readonly pairs: number;
  readonly stockoutRate: number;
  /** null for the day groups (demand is not split by day). */
  readonly fillRate: number | null;
  /** Share of all the policy's stockout days that fall in this group. */
  readonly shareOfStockouts: number;
}

export type Breakdown = Record<string, Record<string, Group>>;

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Groups every store × SKU by each dimension; `days` is the run's length. */
export function breakdownOf(run: PolicyRun, chain: Chain): Breakdown {
  const { stores, skus, suppliers, demand } = chain;
  const K = skus.length;
  const measured = chain.options.days - WARM_UP_DAYS;
  const dimensions: Record<string, (s: number, k: number) => string> = {
    demand: (_, k) => demand.skus[k]!.kind,
    pack: (_, k) => (skus[k]!.packSize === 1 ? 'single units' : skus[k]!.packSize <= 6 ? 'packs of 6' : 'packs of 12-24'),
    leadTime: (_, k) => (suppliers[skus[k]!.supplier]!.leadTimeDays <= 5 ? 'lead 3-5 days' : 'lead 6-10 days'),
    rate: (s, k) => {
      let mean = 0;
      for (let d = WARM_UP_DAYS; d < WARM_UP_DAYS + 28; d += 1) mean += demand.expected(s, k, d) / 28;
      return mean < 0.5 ? 'under 0.5 a day' : mean < 2 ? '0.5-2 a day' : mean < 6 ? '2-6 a day' : '6+ a day';
    },
  };
  let allStockouts = 0;
  for (const v of run.cells.stockoutDays) allStockouts += v;
  const out: Breakdown = {};
  for (const [name, groupOf] of Object.entries(dimensions)) {
    const acc = new Map<string, { pairs: number; stockoutDays: number; demand: number; lost: number }>();
    for (let s = 0; s < stores.length; s += 1) {
      for (let k = 0; k < K; k += 1) {
        const g = groupOf(s, k);
        const a = acc.get(g) ?? { pairs: 0, stockoutDays: 0, demand: 0, lost: 0 };
        const i = s * K + k;
        a.pairs += 1;
        a.stockoutDays += run.cells.stockoutDays[i]!;
        a.demand += run.cells.demand[i]!;
        a.lost += run.cells.lost[i]!;
        acc.set(g, a);
      }
    }
    out[name] = Object.fromEntries([...acc].sort(([a], [b]) => (a < b ? -1 : 1)).map(([g, a]) => [g, {
      pairs: a.pairs,
      stockoutRate: round(a.stockoutDays / (a.pairs * measured)),
      fillRate: round(a.demand === 0 ? 1 : 1 - a.lost / a.demand),
      shareOfStockouts: round(allStockouts === 0 ? 0 : a.stockoutDays / allStockouts),
    }]));
  }
  // Days: on a (chain-wide, unannounced) promotion or not, per store × SKU × day.
  let promotionDays = 0;
  let promotionStockouts = 0;
  for (let k = 0; k < K; k += 1) {
    for (const p of demand.skus[k]!.promotions) promotionDays += Math.max(0, Math.min(p.end, chain.options.days) - Math.max(p.start, WARM_UP_DAYS)) * stores.length;
  }
  for (const v of run.cells.promotionStockoutDays) promotionStockouts += v;
  const cellDays = stores.length * K * measured;
  const rate = (so: number, n: number) => round(n === 0 ? 0 : so / n);
  out['day'] = {
    'on promotion': { pairs: promotionDays, stockoutRate: rate(promotionStockouts, promotionDays), fillRate: null, shareOfStockouts: rate(promotionStockouts, allStockouts) },
    ordinary: { pairs: cellDays - promotionDays, stockoutRate: rate(allStockouts - promotionStockouts, cellDays - promotionDays), fillRate: null, shareOfStockouts: rate(allStockouts - promotionStockouts, allStockouts) },
  };
  return out;
}
