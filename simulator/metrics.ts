/**
 * What a retailer judges a replenishment policy by, from one policy's run, counted over the
 * days after the shared warm-up:
 *   stockoutRate          store × SKU × days with demand unmet ÷ all store × SKU × days
 *   fillRate              units sold ÷ units demanded (1 − the share of demand lost)
 *   lostSalesValue        units of demand lost × shelf price (minor units)
 *   avgInventoryValue     mean end-of-day inventory at cost: shelves, warehouse, transfers on the road
 *   turns                 cost of goods sold ÷ average inventory value, a year's worth
 *   replenishDays*        mean days from "below min" to "on the shelf", by where the units came from
 */
import { WARM_UP_DAYS } from './chain';
import type { PolicyRun } from './simulate';

export interface PolicyMetrics {
  readonly stockoutRate: number;
  readonly fillRate: number;
  readonly lostSalesValue: number;
  readonly avgInventoryValue: number;
  readonly turns: number;
  readonly purchaseOrders: number;
  readonly transfers: number;
  /** null when no replenishment came from that source. */
  readonly replenishDaysSupplier: number | null;
  readonly replenishDaysTransfer: number | null;
  readonly lostDemandShare: number;
  readonly replenishments: { readonly supplier: number; readonly transfer: number };
  readonly events: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly eventsPerSec: number;
}

export interface WeekPoint {
  readonly week: number;
  readonly stockouts: number;
  readonly avgInventoryValue: number;
  /** Mean wall and CPU seconds a simulated day took that week, in the policy's process. */
  readonly wallSecondsPerDay: number;
  readonly cpuSecondsPerDay: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export function metricsOf(run: PolicyRun, pairs: number): PolicyMetrics {
  const measured = run.days.filter((d) => d.day >= WARM_UP_DAYS);
  const sum = (f: (d: (typeof measured)[number]) => number) => measured.reduce((a, d) => a + f(d), 0);
  const demand = sum((d) => d.demand);
  const sold = sum((d) => d.sold);
  const avgInventoryValue = sum((d) => d.inventoryValue) / measured.length;
  const supplier = run.episodes.filter((e) => e.source === 'supplier').map((e) => e.days);
  const transfer = run.episodes.filter((e) => e.source === 'transfer').map((e) => e.days);
  const supplierDays = mean(supplier);
  const transferDays = mean(transfer);
  return {
    stockoutRate: round(sum((d) => d.stockouts) / (pairs * measured.length), 5),
    fillRate: round(demand === 0 ? 1 : sold / demand, 5),
    lostSalesValue: sum((d) => d.lostValue),
    avgInventoryValue: Math.round(avgInventoryValue),
    turns: round(avgInventoryValue === 0 ? 0 : (sum((d) => d.cogs) / avgInventoryValue) * (365 / measured.length), 3),
    purchaseOrders: run.purchaseOrders,
    transfers: run.transfers,
    replenishDaysSupplier: supplierDays === null ? null : round(supplierDays, 2),
    replenishDaysTransfer: transferDays === null ? null : round(transferDays, 2),
    lostDemandShare: round(demand === 0 ? 0 : 1 - sold / demand, 5),
    replenishments: { supplier: supplier.length, transfer: transfer.length },
    events: run.events,
    seconds: round(run.seconds, 1),
    cpuSeconds: round(run.cpuSeconds, 1),
    eventsPerSec: Math.round(run.events / run.seconds),
  };
}

/** Stockouts (store × SKU × days with demand unmet) and average inventory value per week of the whole run. */
export function weeklyOf(run: PolicyRun): WeekPoint[] {
  const weeks: WeekPoint[] = [];
  for (let start = 0; start < run.days.length; start += 7) {
    const days = run.days.slice(start, start + 7);
    weeks.push({
      week: start / 7 + 1,
      stockouts: days.reduce((a, d) => a + d.stockouts, 0),
      avgInventoryValue: Math.round(days.reduce((a, d) => a + d.inventoryValue, 0) / days.length),
      wallSecondsPerDay: round(days.reduce((a, d) => a + d.wallMs, 0) / days.length / 1000, 3),
      cpuSecondsPerDay: round(days.reduce((a, d) => a + d.cpuMs, 0) / days.length / 1000, 3),
    });
  }
  return weeks;
}

export interface Summary {
  readonly baseline?: PolicyMetrics;
  readonly stocktide?: PolicyMetrics;
  readonly stockoutReduction?: number;
  readonly inventoryValueRatio?: number;
}

export function summaryOf(baseline: PolicyMetrics | undefined, stocktide: PolicyMetrics | undefined): Summary {
  if (!baseline || !stocktide) return { ...(baseline && { baseline }), ...(stocktide && { stocktide }) };
  return {
    baseline,
    stocktide,
    stockoutReduction: round(baseline.stockoutRate === 0 ? 0 : 1 - stocktide.stockoutRate / baseline.stockoutRate, 4),
    inventoryValueRatio: round(baseline.avgInventoryValue === 0 ? 0 : stocktide.avgInventoryValue / baseline.avgInventoryValue, 4),
  };
}
