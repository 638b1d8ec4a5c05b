/**
 * "Running out soon" across the chain, without forecasting many series in a request: a
 * background sweep (RxJS timer, one sweep at a time) walks the stocked (location, SKU) pairs
 * one series after another through the forecaster and keeps the pairs whose stock is
 * forecast to last fewer than `withinDays` days; between sweeps, a stock change re-forecasts
 * just its own series (batched per second, one series at a time). Requests only read the
 * list. Nothing is stored: it moves with the clock, not the log.
 */
import { bufferTime, concatMap, exhaustMap, filter, from, timer, type Observable, type Subscription } from 'rxjs';
import { COLLECTIONS, type StockDoc } from '../projections/models/collections';
import type { ReadStore } from '../projections/readstore/port';
import { NotEnoughHistory, UnknownSeries, type Forecaster } from './forecaster';

export interface RunningOutItem {
  readonly locationId: string;
  readonly sku: string;
  readonly onHand: number;
  readonly daysOfCover: number;
  readonly stockoutDate?: string;
  readonly method: string;
}

export interface RunningOutList {
  /** When the last sweep finished; undefined before the first. */
  readonly asOf?: string;
  readonly withinDays: number;
  readonly items: readonly RunningOutItem[];
  /** Series looked at by the last sweep, and those without enough history to forecast. */
  readonly series: number;
  readonly notEnoughHistory: number;
}

export interface RunningOutWatch {
  current(): RunningOutList;
  /** Runs one sweep now (tests, or a caller that wants a fresh list). */
  sweep(): Promise<RunningOutList>;
  /** Re-forecasts one series and updates its place in the list. */
  update(locationId: string, sku: string): Promise<void>;
  stop(): void;
}

export interface RunningOutOptions {
  readonly readStore: ReadStore;
  readonly forecaster: Forecaster;
  readonly clock?: () => Date;
  /** Stock forecast to last fewer days than this is "running out" (default 7). */
  readonly withinDays?: number;
  /** Between sweeps (default 15 minutes); the first starts after `firstDelayMs` (default 60 s: after start-up and catch-up, not during them). */
  readonly intervalMs?: number;
  readonly firstDelayMs?: number;
  /** Start the timer (default true); false: only `sweep()` runs one. */
  readonly start?: boolean;
  /** Read-model changes (the runner's `changes$`): a stock change re-forecasts its series. */
  readonly changes$?: Observable<{ readonly kind: string; readonly locationId?: string; readonly sku?: string }>;
  /**
   * Changes are gathered this long (default 2 s), then each changed series is re-forecast once.
   * This runs on the api thread: under a flood of sales a short window re-forecast the same
   * series several times a second (a fifth of the thread in the webhook profile, docs/benchmarks.md);
   * a cover measured in days does not need sub-second freshness.
   */
  readonly changeBatchMs?: number;
}

const byCover = (a: RunningOutItem, b: RunningOutItem): number =>
  a.daysOfCover - b.daysOfCover || a.locationId.localeCompare(b.locationId) || a.sku.localeCompare(b.sku);

export function createRunningOutWatch(options: RunningOutOptions): RunningOutWatch {
  const withinDays = options.withinDays ?? 7;
  const clock = options.clock ?? (() => new Date());
  let list: RunningOutList = { withinDays, items: [], series: 0, notEnoughHistory: 0 };
  /**
   * Between sweeps, updates go to a map by series and the list is sorted when read: a busy
   * till day changes thousands of series, and sorting the whole list for each was quadratic.
   */
  const updated = new Map<string, RunningOutItem | undefined>();
  const current = (): RunningOutList => {
    if (updated.size === 0) return list;
    const items = list.items.filter((i) => !updated.has(`${i.locationId}|${i.sku}`));
    for (const item of updated.values()) if (item) items.push(item);
    items.sort(byCover);
    updated.clear();
    list = { ...list, items };
    return list;
  };

  async function sweep(): Promise<RunningOutList> {
    const stocked = await options.readStore.find<StockDoc>(COLLECTIONS.stock, { where: { onHand: { gt: 0 } } });
    const items: RunningOutItem[] = [];
    let notEnough = 0;
    for (const s of stocked) {
      try {
        const f = await options.forecaster.forecast(s.locationId, s.sku, { history: false });
        if (f.daysOfCover !== null && f.daysOfCover < withinDays) {
          items.push({ locationId: s.locationId, sku: s.sku, onHand: f.onHand, daysOfCover: Math.round(f.daysOfCover * 10) / 10, method: f.method, ...(f.stockoutDate && { stockoutDate: f.stockoutDate }) });
        }
      } catch (error) {
        if (error instanceof NotEnoughHistory || error instanceof UnknownSeries) notEnough += 1;
        else throw error;
      }
    }
    items.sort(byCover);
    updated.clear();
    list = { asOf: clock().toISOString(), withinDays, items, series: stocked.length, notEnoughHistory: notEnough };
    return list;
  }

  async function update(locationId: string, sku: string): Promise<void> {
    let item: RunningOutItem | undefined;
    try {
      const f = await options.forecaster.forecast(locationId, sku, { history: false });
      if (f.onHand > 0 && f.daysOfCover !== null && f.daysOfCover < withinDays) {
        item = { locationId, sku, onHand: f.onHand, daysOfCover: Math.round(f.daysOfCover * 10) / 10, method: f.method, ...(f.stockoutDate && { stockoutDate: f.stockoutDate }) };
      }
    } catch (error) {
      if (!(error instanceof NotEnoughHistory || error instanceof UnknownSeries)) throw error;
    }
    updated.set(`${locationId}|${sku}`, item);
  }

  const subscriptions: Subscription[] = [];
  if (options.start !== false) {
    subscriptions.push(timer(options.firstDelayMs ?? 60_000, options.intervalMs ?? 15 * 60_000)
      // exhaustMap: a sweep still running when the next tick comes is not doubled.
      .pipe(exhaustMap(() => from(sweep().catch(() => list))))
      .subscribe());
  }
  if (options.changes$) {
    subscriptions.push(options.changes$.pipe(
      filter((c) => c.kind === 'stock' && c.locationId !== undefined && c.sku !== undefined),
      bufferTime(options.changeBatchMs ?? 2_000),
      filter((batch) => batch.length > 0),
      // One series at a time, each changed series once per batch.
      concatMap((batch) => from((async () => {
        const keys = new Map(batch.map((c) => [`${c.locationId}|${c.sku}`, c]));
        for (const c of keys.values()) await update(c.locationId!, c.sku!).catch(() => undefined);
      })())),
    ).subscribe());
  }
  return { current, sweep, update, stop: () => subscriptions.forEach((s) => s.unsubscribe()) };
}
