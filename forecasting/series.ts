/**
 * One (location, SKU)'s daily demand from the daily-sales read model, as a dense series of
 * whole days: days without a document sold nothing. The series starts the day the SKU first
 * moved at the location (its first ledger row), since zeros before it are not demand, and
 * ends yesterday: today is not over, so it is reported but not fitted.
 */
import { COLLECTIONS, type DailySalesDoc, type LedgerDoc } from '../projections/models/collections';
import type { ReadStore } from '../projections/readstore/port';
import { dailySalesKey } from '../projections/models/daily-sales';
import { stockProjection } from '../projections/models/stock';
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

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, memoised: a forecaster turns the same few hundred dates over all day. */
const epochDays = new Map<string, number>();
const epochDay = (date: string): number => {
  let n = epochDays.get(date);
  if (n === undefined) {
    n = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    if (epochDays.size >= 4_096) epochDays.clear();
    epochDays.set(date, n);
  }
  return n;
};
const daysBetween = (from: string, to: string): number => epochDay(to) - epochDay(from);

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

/** Ledger rows read per query while catching up with the movements since the last look. */
const LEDGER_PAGE = 5_000;

export interface SourceTracker {
  /** Catches up with the ledger: notes which kept series moved since the last call. */
  refresh(): Promise<void>;
  /** Changes each time a movement of the series is seen (0: not tracked); a series built at another version may be out of date. */
  versionOf(locationId: string, sku: string): number;
  /** The series' source as of now: read whole the first time, then only its days that moved. */
  sourceOf(locationId: string, sku: string, today: string): Promise<SeriesSource & { version: number }>;
}

interface Tracked {
  firstMoved?: string;
  /** Daily sales docs by date, in date order while `sorted` (a late day inserted out of order clears it). */
  docs: Map<string, Pick<DailySalesDoc, 'date' | 'sold' | 'returned'>>;
  sorted: boolean;
  /** The latest date ever kept (a new day after it keeps the order). */
  last?: string;
  /** Days with a movement seen in the ledger since their doc was last read. */
  dirty: Set<string>;
  version: number;
  /** Read whole once; `queue`: the series' updates, one after another. */
  loaded: boolean;
  queue: Promise<unknown>;
}

/**
 * Keeps series sources up to date from the ledger. Every sale and return writes a ledger row
 * in the same commit as its daily sales doc, and ledger ids grow with the log position, so the
 * rows after the last id seen name exactly the (location, SKU, day)s that moved since, however
 * late a till reported them. Only those days' docs are read again.
 */
export function createSourceTracker(store: ReadStore, capacity: number): SourceTracker {
  const tracked = new Map<string, Tracked>();
  let cursor: string | undefined;
  /** Versions are drawn from one counter, so a series dropped and tracked again never repeats one. */
  let versions = 0;
  /** The stock projection's checkpoint at the last catch-up: unmoved, no ledger row was written since. */
  let checkpoint: bigint | undefined;
  // One catch-up at a time, each after the one before: a caller that waited for a position
  // gets a catch-up that started after it, so it sees its own writes.
  let queue: Promise<void> = Promise.resolve();

  async function catchUp(): Promise<void> {
    const at = await store.checkpoint(stockProjection.name);
    if (at === checkpoint) return;
    checkpoint = at;
    if (cursor === undefined) {
      // From now: series read whole after this already hold what came before.
      const [last] = await store.find<LedgerDoc>(COLLECTIONS.ledger, { orderBy: [['_id', 'desc']], limit: 1 });
      cursor = last?._id ?? '';
      return;
    }
    for (;;) {
      const rows: LedgerDoc[] = await store.find<LedgerDoc>(COLLECTIONS.ledger, { where: { _id: { gt: cursor } }, orderBy: [['_id', 'asc']], limit: LEDGER_PAGE });
      for (const row of rows) {
        const t = tracked.get(`${row.locationId}|${row.sku}`);
        if (!t) continue;
        const day = row.occurredAt.slice(0, 10);
        // Only sales and returns change a daily sales doc; any movement may be the first.
        const demand = row.type === 'sale' || row.type === 'return';
        const first = t.firstMoved === undefined || day < t.firstMoved;
        if (demand) t.dirty.add(day);
        if (first) t.firstMoved = day;
        if (demand || first) t.version = versions += 1;
      }
      if (rows.length > 0) cursor = rows.at(-1)!._id;
      if (rows.length < LEDGER_PAGE) return;
    }
  }

  return {
    refresh() {
      queue = queue.then(catchUp);
      return queue;
    },
    versionOf: (locationId, sku) => tracked.get(`${locationId}|${sku}`)?.version ?? 0,
    sourceOf(locationId, sku, today) {
      const key = `${locationId}|${sku}`;
      let t = tracked.get(key);
      if (!t) {
        // Tracked before it is read: movements a catch-up sees meanwhile mark their days to read again.
        t = { docs: new Map(), sorted: true, dirty: new Set(), version: (versions += 1), loaded: false, queue: Promise.resolve() };
        if (tracked.size >= capacity) tracked.delete(tracked.keys().next().value!);
        tracked.set(key, t);
      }
      // One update of a series at a time: a second caller waits for the first one's reads.
      const run = t.queue.then(() => update(t, locationId, sku, today));
      t.queue = run.then(() => undefined, () => undefined);
      return run;
    },
  };

  async function update(t: Tracked, locationId: string, sku: string, today: string): Promise<SeriesSource & { version: number }> {
    if (!t.loaded) {
      const whole = await seriesSource(store, locationId, sku, today);
      if (whole.firstMoved !== undefined && (t.firstMoved === undefined || whole.firstMoved < t.firstMoved)) t.firstMoved = whole.firstMoved;
      for (const d of whole.docs) t.docs.set(d.date, d);
      t.last = whole.docs.at(-1)?.date;
      t.loaded = true;
    }
    const version = t.version;
    if (t.dirty.size > 0) {
      const days = [...t.dirty];
      t.dirty.clear();
      const found = await store.getMany<DailySalesDoc>(COLLECTIONS.dailySales, days.map((day) => dailySalesKey(sku, locationId, day)))
        .catch((error: unknown) => {
          for (const day of days) t.dirty.add(day); // read again next time
          throw error;
        });
      for (const day of days) {
        const doc = found.get(dailySalesKey(sku, locationId, day));
        if (!doc) t.docs.delete(day);
        else {
          if (!t.docs.has(day)) {
            if (t.last === undefined || day > t.last) t.last = day;
            else t.sorted = false;
          }
          t.docs.set(day, { date: day, sold: doc.sold, returned: doc.returned });
        }
      }
    }
    if (!t.sorted) {
      t.docs = new Map([...t.docs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      t.sorted = true;
    }
    const earliest = addDays(today, -MAX_HISTORY_DAYS);
    for (const day of t.docs.keys()) {
      if (day >= earliest) break;
      t.docs.delete(day);
    }
    const docs = [...t.docs.values()];
    return { ...(t.firstMoved !== undefined && { firstMoved: t.firstMoved }), docs, version };
  }
}
