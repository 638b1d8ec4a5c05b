/**
 * Forecasts of one (location, SKU) at a time, on demand, with a small cache: the request
 * path never fits more than the one series it was asked about. The cache key holds the
 * history itself (a hash of the daily series) and the day, so a late till sale or a new day
 * recomputes, and everything else is served from memory.
 */
import { COLLECTIONS, type LocationDoc, type ProductDoc, type StockDoc } from '../projections/models/collections';
import { stockKey } from '../projections/models/keys';
import type { ReadStore } from '../projections/readstore/port';
import { forecastSeries, MIN_HISTORY_DAYS, type Forecast } from './backtest';
import { addDays, coverOf, type Cover } from './cover';
import { reorderFigures, type ReorderFigures, type ReorderOptions, type ReorderPointProvider } from './reorder-point';
import { seriesOf, seriesSource, type SeriesSource } from './series';

/** Days every cached forecast covers: the longest `days` (90) plus room for lead time + review. */
export const CACHED_HORIZON = 128;
const CACHE_SIZE = 2_000;
/** Series sources kept between calls (one per location × SKU, up to a year of daily docs each). */
const SOURCE_CACHE_SIZE = 50_000;
/** Days of actual sales returned with a forecast (for its chart). */
export const HISTORY_SHOWN = 56;

export class UnknownSeries extends Error {
  constructor(readonly what: 'location' | 'sku', readonly value: string) {
    super(`unknown ${what === 'sku' ? 'SKU' : 'location'} ${value}`);
    this.name = 'UnknownSeries';
  }
}

/** Not enough sales history to forecast from: what there is and what is needed. */
export class NotEnoughHistory extends Error {
  constructor(readonly historyDays: number, readonly salesDays: number) {
    super(`not enough history to forecast: ${historyDays} days with ${salesDays} days of sales; `
      + `needs at least ${MIN_HISTORY_DAYS} days since the SKU first moved at the location and at least one sale`);
    this.name = 'NotEnoughHistory';
  }
}

export interface SeriesForecast extends Forecast, Cover {
  readonly locationId: string;
  readonly sku: string;
  /** The first forecast day (today). */
  readonly firstDate: string;
  readonly onHand: number;
  /** Actual net sales, the last HISTORY_SHOWN days up to today (today: so far). */
  readonly history: ReadonlyArray<{ date: string; quantity: number }>;
}

/** FNV-1a over the series: a cheap fingerprint of the history for the cache key. */
function fingerprint(y: readonly number[]): string {
  let h = 0x811c9dc5;
  for (const v of y) {
    h ^= v & 0xffff;
    h = Math.imul(h, 0x01000193);
    h ^= v >>> 16;
    h = Math.imul(h, 0x01000193);
  }
  return `${y.length}:${(h >>> 0).toString(36)}`;
}

export interface Forecaster {
  forecast(locationId: string, sku: string): Promise<SeriesForecast>;
  reorderPoint(locationId: string, sku: string, options: ReorderOptions & { leadTimeDays: number; reviewDays?: number }): Promise<ReorderFigures & { method: string; onHand: number }>;
  /** The shape purchasing (issue 9) plugs in: undefined where there is not enough history. */
  readonly provider: ReorderPointProvider;
}

export function createForecaster(store: ReadStore, clock: () => Date = () => new Date()): Forecaster {
  const cache = new Map<string, Forecast>();
  /**
   * Each series' source as last read, with the stock document's `positionKey` at that read.
   * Every sale and return moves the stock of its (location, SKU), which re-stamps that key;
   * an unchanged key means no sale or return was recorded since, whatever day it carried, so
   * the source still holds and the series of a later day is rebuilt from it without a read.
   */
  const sources = new Map<string, { positionKey: string; source: SeriesSource }>();
  async function sourceOf(locationId: string, sku: string, today: string, stock: StockDoc | undefined): Promise<SeriesSource> {
    const k = stockKey(locationId, sku);
    const known = sources.get(k);
    if (stock && known?.positionKey === stock.positionKey) return known.source;
    const source = await seriesSource(store, locationId, sku, today);
    if (stock) {
      sources.delete(k);
      if (sources.size >= SOURCE_CACHE_SIZE) sources.delete(sources.keys().next().value!);
      sources.set(k, { positionKey: stock.positionKey, source });
    }
    return source;
  }

  async function forecast(locationId: string, sku: string): Promise<SeriesForecast> {
    const { fitted, series, onHand, remaining, today } = await fit(locationId, sku);
    const shownFrom = Math.max(0, series.y.length - (HISTORY_SHOWN - 1));
    const history = [...series.y.slice(shownFrom).map((quantity, i) => ({ date: addDays(series.firstDate!, shownFrom + i), quantity })), { date: today, quantity: series.today }];
    return { ...fitted, ...coverOf(onHand, remaining, today), locationId, sku, firstDate: today, onHand, history };
  }

  /** The fitted forecast, and the demand still to come from now: today's forecast less what sold so far today, then whole days. */
  async function fit(locationId: string, sku: string) {
    const [location, product] = await Promise.all([
      store.get<LocationDoc>(COLLECTIONS.locations, locationId),
      store.get<ProductDoc>(COLLECTIONS.products, sku),
    ]);
    if (!location) throw new UnknownSeries('location', locationId);
    if (!product) throw new UnknownSeries('sku', sku);
    const today = clock().toISOString().slice(0, 10);
    // The stock first: its key says whether the series' source moved since it was last read.
    const stock = await store.get<StockDoc>(COLLECTIONS.stock, stockKey(locationId, sku));
    const series = seriesOf(await sourceOf(locationId, sku, today, stock), today);
    if (series.y.length < MIN_HISTORY_DAYS || series.salesDays === 0) throw new NotEnoughHistory(series.y.length, series.salesDays);

    const key = `${locationId}|${sku}|${today}|${fingerprint(series.y)}`;
    let fitted = cache.get(key);
    if (!fitted) {
      fitted = forecastSeries(series.y, CACHED_HORIZON);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(key, fitted);
    }
    // Part of today's demand has sold already and left the on-hand: only the rest is to come.
    const remaining = [Math.max(0, fitted.quantity[0]! - series.today), ...fitted.quantity.slice(1)];
    return { fitted, series, onHand: stock?.onHand ?? 0, remaining, today };
  }

  async function reorderPoint(locationId: string, sku: string, options: ReorderOptions & { leadTimeDays: number; reviewDays?: number }) {
    // From now: the on-hand it is compared with has already lost today's sales so far.
    const { fitted, remaining, onHand } = await fit(locationId, sku);
    const figures = reorderFigures({ daily: remaining, rmse: fitted.rmse, method: fitted.method, ...options });
    return { ...figures, method: fitted.method, onHand };
  }

  const provider: ReorderPointProvider = async (locationId, sku, options) => {
    try {
      const f = await reorderPoint(locationId, sku, { ...options, leadTimeDays: options?.leadTimeDays ?? 7 });
      return { reorderPoint: f.reorderPoint, orderUpTo: f.orderUpTo, reason: f.reason };
    } catch (error) {
      if (error instanceof NotEnoughHistory || error instanceof UnknownSeries) return undefined;
      throw error;
    }
  };

  return { forecast, reorderPoint, provider };
}
