/**
 * One (location, SKU)'s daily demand from the daily-sales read model, as a dense series of
 * whole days: days without a document sold nothing. The series starts the day the SKU first
 * moved at the location (its first ledger row), since zeros before it are not demand, and
 * ends yesterday: today is not over, so it is reported but not fitted.
 */
import { COLLECTIONS, type DailySalesDoc, type LedgerDoc } from '../projections/models/collections';
import type { ReadStore } from '../projections/readstore/port';
import { addDays } from './cover';

/** At most a year of history is fitted: older demand says little about next week. */
export const MAX_HISTORY_DAYS = 365;

export interface DemandSeries {
  /** Units sold net of returns (never below 0), one per day from `firstDate` to yesterday. */
  readonly y: number[];
  readonly firstDate?: string;
  /** Net units sold so far today. */
  readonly today: number;
  /** Days in the history with any sale. */
  readonly salesDays: number;
}

const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export async function demandSeries(store: ReadStore, locationId: string, sku: string, today: string): Promise<DemandSeries> {
  const earliest = addDays(today, -MAX_HISTORY_DAYS);
  const [first] = await store.find<LedgerDoc>(COLLECTIONS.ledger, {
    where: { locationId, sku }, orderBy: [['occurredAt', 'asc']], limit: 1,
  });
  const docs = await store.find<DailySalesDoc>(COLLECTIONS.dailySales, {
    where: { sku, locationId, date: { gte: earliest, lte: today } }, orderBy: [['date', 'asc']],
  });
  const starts = [first?.occurredAt.slice(0, 10), docs[0]?.date].filter((d): d is string => d !== undefined).sort();
  const firstDate = starts[0] && starts[0] > earliest ? starts[0] : starts[0] ? earliest : undefined;
  if (!firstDate || firstDate >= today) {
    const todayDoc = docs.find((d) => d.date === today);
    return { y: [], today: todayDoc ? Math.max(0, todayDoc.sold - todayDoc.returned) : 0, salesDays: 0, ...(firstDate && { firstDate }) };
  }
  const y = new Array<number>(daysBetween(firstDate, today)).fill(0);
  let todayUnits = 0;
  let salesDays = 0;
  for (const doc of docs) {
    const net = Math.max(0, doc.sold - doc.returned);
    if (doc.date === today) todayUnits = net;
    else if (doc.date >= firstDate) {
      y[daysBetween(firstDate, doc.date)] = net;
      if (net > 0) salesDays += 1;
    }
  }
  return { y, firstDate, today: todayUnits, salesDays };
}
