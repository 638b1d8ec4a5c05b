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

/** What a series is built from: the day the SKU first moved at the location, and its daily sales docs (oldest first). */
export interface SeriesSource {
  readonly firstMoved?: string;
  readonly docs: ReadonlyArray<Pick<DailySalesDoc, 'date' | 'sold' | 'returned'>>;
}

/** Reads the source of a series: the first ledger row and the daily sales of the year before `today`, up to `today`. */
export async function seriesSource(store: ReadStore, locationId: string, sku: string, today: string): Promise<SeriesSource> {
  const [first] = await store.find<LedgerDoc>(COLLECTIONS.ledger, {
    where: { locationId, sku }, orderBy: [['occurredAt', 'asc']], limit: 1,
  });
  const docs = await store.find<DailySalesDoc>(COLLECTIONS.dailySales, {
    // No upper bound: a doc dated after today (a till clock ahead) belongs to a later day's series.
    where: { sku, locationId, date: { gte: addDays(today, -MAX_HISTORY_DAYS) } }, orderBy: [['date', 'asc']],
  });
  return { ...(first && { firstMoved: first.occurredAt.slice(0, 10) }), docs: docs.map((d) => ({ date: d.date, sold: d.sold, returned: d.returned })) };
}

export async function demandSeries(store: ReadStore, locationId: string, sku: string, today: string): Promise<DemandSeries> {
  return seriesOf(await seriesSource(store, locationId, sku, today), today);
}

/**
 * The series as of `today` from its source. Pure: a source read on an earlier day still gives
 * the right series on a later one as long as nothing moved since (no sale, no return).
 */
export function seriesOf(source: SeriesSource, today: string): DemandSeries {
  const earliest = addDays(today, -MAX_HISTORY_DAYS);
  const docs = source.docs.filter((d) => d.date >= earliest && d.date <= today);
  const first = source.firstMoved;
  const starts = [first, docs[0]?.date].filter((d): d is string => d !== undefined).sort();
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
