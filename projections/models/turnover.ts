/**
 * Inventory turnover over [from, to) (UTC days):
 *   COGS            = FIFO cost of units sold minus the cost of units returned in the period
 *   average value   = mean of the daily closing values, a day without events carrying the
 *                     previous day's value forward (0 before anything was stocked)
 *   turnover        = COGS / average value        (null when the average is 0)
 *   days of inventory = days in period / turnover (null when turnover is 0 or null)
 * Per (location, SKU), per location and for the whole scope. Sums of averages equal the
 * average of the sums, so aggregates add up the per-SKU figures.
 */
import type { ReadStore } from '../readstore/port';
import { COLLECTIONS, type InventoryDayDoc } from './collections';
import { DAY_MS, stockKey } from './keys';
import { locationCondition, where, type LocationScope } from './scope';

export interface TurnoverFigures {
  readonly cogs: number;
  /** Cents, rounded. */
  readonly averageInventoryValue: number;
  readonly turnover: number | null;
  readonly daysOfInventory: number | null;
}

export interface TurnoverReport extends TurnoverFigures {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly locations: (TurnoverFigures & { locationId: string })[];
  readonly items: (TurnoverFigures & { locationId: string; sku: string })[];
}

/** The UTC days of [from, to) as `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

function figures(cogs: number, valueSum: number, days: number): TurnoverFigures {
  const average = days > 0 ? valueSum / days : 0;
  const turnover = average > 0 ? cogs / average : null;
  return {
    cogs,
    averageInventoryValue: Math.round(average),
    turnover: turnover === null ? null : round(turnover, 4),
    daysOfInventory: turnover ? round(days / turnover, 2) : null,
  };
}

/** Pure: the report from the daily documents (any order) of days before `to`. */
export function computeTurnover(docs: readonly InventoryDayDoc[], from: string, to: string): TurnoverReport {
  const days = daysBetween(from, to);
  const byPair = new Map<string, InventoryDayDoc[]>();
  for (const doc of docs) {
    const key = stockKey(doc.locationId, doc.sku);
    byPair.set(key, [...(byPair.get(key) ?? []), doc]);
  }
  const items: TurnoverReport['items'] = [];
  const perLocation = new Map<string, { cogs: number; valueSum: number }>();
  let cogsTotal = 0;
  let valueTotal = 0;
  for (const pairDocs of byPair.values()) {
    const sorted = [...pairDocs].sort((a, b) => a.day.localeCompare(b.day));
    const { locationId, sku } = sorted[0]!;
    let carried = 0;
    let next = 0;
    let cogs = 0;
    let valueSum = 0;
    for (const day of days) {
      while (next < sorted.length && sorted[next]!.day <= day) {
        const doc = sorted[next++]!;
        if (doc.closingValue !== undefined) carried = doc.closingValue;
        if (doc.day >= from) cogs += doc.cogs;
      }
      valueSum += carried;
    }
    items.push({ locationId, sku, ...figures(cogs, valueSum, days.length) });
    const loc = perLocation.get(locationId) ?? { cogs: 0, valueSum: 0 };
    perLocation.set(locationId, { cogs: loc.cogs + cogs, valueSum: loc.valueSum + valueSum });
    cogsTotal += cogs;
    valueTotal += valueSum;
  }
  items.sort((a, b) => a.locationId.localeCompare(b.locationId) || a.sku.localeCompare(b.sku));
  const locations = [...perLocation.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([locationId, t]) => ({ locationId, ...figures(t.cogs, t.valueSum, days.length) }));
  return { from, to, days: days.length, ...figures(cogsTotal, valueTotal, days.length), locations, items };
}

export async function turnoverReport(
  store: ReadStore,
  options: { from: string; to: string; scope: LocationScope; locationId?: string },
): Promise<TurnoverReport> {
  const docs = await store.find<InventoryDayDoc>(COLLECTIONS.inventoryDaily, {
    where: where({ locationId: locationCondition(options.scope, options.locationId), day: { lt: options.to } }),
  });
  return computeTurnover(docs, options.from, options.to);
}
