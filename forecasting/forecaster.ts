/**
 * Forecasts of one (location, SKU) at a time, on demand, kept per series: the request path
 * never fits more than the one series it was asked about. The kept forecast is keyed by the
 * history itself (a hash of the daily series) and the day, so a late till sale or a new day
 * recomputes, and everything else is served from memory. The chooser's backtest (method and
 * parameters) is redone when the series has grown by a whole week; the days between run the
 * chosen method over the grown history.
 */
import { COLLECTIONS, type LocationDoc, type ProductDoc, type StockDoc } from '../projections/models/collections';
import { stockKey } from '../projections/models/keys';
import type { ReadStore } from '../projections/readstore/port';
import { forecastWith, MIN_HISTORY_DAYS, selectMethod, type Forecast, type Selection } from './backtest';
import { addDays, coverOf, type Cover } from './cover';
import { reorderFigures, type ReorderFigures, type ReorderOptions, type ReorderPointProvider } from './reorder-point';
import { WEEK } from './methods/seasonal-naive';
import { createSourceTracker, seriesOf, type DemandSeries } from './series';

/** Days every cached forecast covers: the longest `days` (90) plus room for lead time + review. */
export const CACHED_HORIZON = 128;
/** Series kept between calls (one per location × SKU, up to a year of daily docs each). */
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
  /** `history: false`: without the chart's days of actual sales (the running-out watch needs none). */
  forecast(locationId: string, sku: string, options?: { history?: boolean }): Promise<SeriesForecast>;
  reorderPoint(locationId: string, sku: string, options: ReorderOptions & { leadTimeDays: number; reviewDays?: number }): Promise<ReorderFigures & { method: string; onHand: number }>;
  /** The shape purchasing (issue 9) plugs in: undefined where there is not enough history. */
  readonly provider: ReorderPointProvider;
}

/** What the forecaster keeps of one series between calls (see `createForecaster`). */
interface Kept {
  /** The series as of `today`, from its source at `version` (a later version: something moved since). */
  today: string;
  series: DemandSeries;
  version: number;
  /** The chooser's verdict on the series' whole weeks (`selectionKey`: their length and fingerprint). */
  selectionKey?: string;
  selection?: Selection;
  /** The forecast of `today` from it (`fitKey`: the whole series' fingerprint). */
  fitKey?: string;
  fitted?: Forecast;
}

export function createForecaster(store: ReadStore, clock: () => Date = () => new Date()): Forecaster {
  /**
   * Each series' source (its first movement and daily sales docs), kept up to date from the
   * ledger (series.ts): only the days that moved are read again, however late the till
   * reported them; a series is read whole once, when first asked about. Its series and
   * forecast are kept until it moves or the day changes.
   */
  const sources = createSourceTracker(store, SOURCE_CACHE_SIZE);
  const kept = new Map<string, Kept>();

  async function forecast(locationId: string, sku: string, options: { history?: boolean } = {}): Promise<SeriesForecast> {
    const { fitted, series, onHand, remaining, today } = await fit(locationId, sku);
    const shownFrom = Math.max(0, series.y.length - (HISTORY_SHOWN - 1));
    const history = options.history === false ? [] : [...series.y.slice(shownFrom).map((quantity, i) => ({ date: addDays(series.firstDate!, shownFrom + i), quantity })), { date: today, quantity: series.today }];
    return { ...fitted, ...coverOf(onHand, remaining, today), locationId, sku, firstDate: today, onHand, history };
  }

  /** The fitted forecast, and the demand still to come from now: today's forecast less what sold so far today, then whole days. */
  async function fit(locationId: string, sku: string, withOnHand = true) {
    const k = stockKey(locationId, sku);
    const today = clock().toISOString().slice(0, 10);
    await sources.refresh();
    let known = kept.get(k);
    // A series seen before had its location and product; only a new one is checked.
    const [location, product, stock] = await Promise.all([
      known ? true : store.get<LocationDoc>(COLLECTIONS.locations, locationId),
      known ? true : store.get<ProductDoc>(COLLECTIONS.products, sku),
      withOnHand ? store.get<StockDoc>(COLLECTIONS.stock, stockKey(locationId, sku)) : undefined,
    ]);
    if (!location) throw new UnknownSeries('location', locationId);
    if (!product) throw new UnknownSeries('sku', sku);
    if (!known || known.version !== sources.versionOf(locationId, sku) || known.today !== today) {
      const source = await sources.sourceOf(locationId, sku, today);
      const series = seriesOf(source, today);
      if (!known) {
        if (kept.size >= SOURCE_CACHE_SIZE) kept.delete(kept.keys().next().value!);
        kept.set(k, (known = { today, series, version: source.version }));
      } else Object.assign(known, { today, series, version: source.version });
    }
    const series = known.series;
    if (series.y.length < MIN_HISTORY_DAYS || series.salesDays === 0) throw new NotEnoughHistory(series.y.length, series.salesDays);

    const fitKey = `${today}|${fingerprint(series.y)}`;
    if (known.fitKey !== fitKey || !known.fitted) {
      // The chooser runs on the series' whole weeks: its backtest origins are a week apart,
      // so it sees something new once a week; on the days between, the chosen method and
      // parameters run over the grown history (a day's forecast costs one pass, not a backtest).
      const weeks = series.y.length - (series.y.length % WEEK);
      const selectionKey = `${weeks}|${fingerprint(series.y.slice(0, weeks))}`;
      if (known.selectionKey !== selectionKey || !known.selection) {
        known.selection = selectMethod(series.y.slice(0, weeks));
        known.selectionKey = selectionKey;
      }
      known.fitted = forecastWith(known.selection, series.y, CACHED_HORIZON);
      known.fitKey = fitKey;
    }
    const fitted = known.fitted;
    // Part of today's demand has sold already and left the on-hand: only the rest is to come.
    const remaining = [Math.max(0, fitted.quantity[0]! - series.today), ...fitted.quantity.slice(1)];
    return { fitted, series, onHand: stock?.onHand ?? 0, remaining, today };
  }

  async function reorderPoint(locationId: string, sku: string, options: ReorderOptions & { leadTimeDays: number; reviewDays?: number }, withOnHand = true) {
    // From now: the on-hand it is compared with has already lost today's sales so far.
    const { fitted, remaining, onHand } = await fit(locationId, sku, withOnHand);
    const figures = reorderFigures({ daily: remaining, rmse: fitted.rmse, method: fitted.method, ...options });
    return { ...figures, method: fitted.method, onHand };
  }

  const provider: ReorderPointProvider = async (locationId, sku, options) => {
    try {
      // Purchasing has the stock position already: no stock read per pair.
      const f = await reorderPoint(locationId, sku, { ...options, leadTimeDays: options?.leadTimeDays ?? 7 }, false);
      return { reorderPoint: f.reorderPoint, orderUpTo: f.orderUpTo, reason: f.reason };
    } catch (error) {
      if (error instanceof NotEnoughHistory || error instanceof UnknownSeries) return undefined;
      throw error;
    }
  };

  return { forecast, reorderPoint, provider };
}
