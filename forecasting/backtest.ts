/**
 * The chooser: a rolling-origin backtest over the last weeks of a series (FPP3 §5.10,
 * "evaluation on a rolling forecasting origin"). Each candidate is refitted at every origin
 * on the data before it and forecasts the following week; the candidate with the least mean
 * squared error wins (ties go to the simpler method). Squared, not absolute: the absolute
 * error is minimised by the median, which is 0 for intermittent demand, so an MAE chooser
 * would pick "sell nothing" for most store × SKU series (the M5 competition scored RMSSE for
 * the same reason). MASE is still what we report. Its errors also give the 80 %
 * prediction interval (empirical 10th and 90th percentiles) and the interval's coverage,
 * measured honestly: each origin's actuals are checked against an interval built from the
 * other origins' errors only.
 */
import { methods as allMethods, type ForecastMethod, type MethodName } from './methods/index';
import { WEEK } from './methods/seasonal-naive';
import { mean, naiveMae, quantile } from './stats';

/** One week to fit on before the first origin, one week to test: the least history we forecast from. */
export const MIN_HISTORY_DAYS = 2 * WEEK;
export const MAX_ORIGINS = 4;
export const HORIZON = WEEK;
export const INTERVAL = { low: 0.1, high: 0.9 } as const;

export interface Backtest {
  /** Mean absolute error over the backtest ÷ in-sample seasonal-naive MAE; null when that scale is 0. */
  readonly mase: number | null;
  /** Mean of forecast − actual over the backtest, in units a day (positive: forecasts too high). */
  readonly bias: number;
  /** Share of backtest actuals inside the 80 % interval built from the other origins; null with one origin. */
  readonly coverage: number | null;
  readonly origins: number;
}

export interface Forecast {
  readonly method: MethodName;
  readonly quantity: number[];
  readonly low: number[];
  readonly high: number[];
  readonly backtest: Backtest;
  /** Root mean squared backtest error, units a day (the safety stock's σ). */
  readonly rmse: number;
  /** Backtest of every candidate, for the benchmark and the docs. */
  readonly candidates: ReadonlyArray<{ method: MethodName; mae: number; mase: number | null }>;
}

interface Evaluated {
  method: ForecastMethod;
  /** actual − forecast, per origin. */
  errors: number[][];
  actuals: number[][];
  forecasts: number[][];
  mae: number;
  mse: number;
}

/** Origins (indices into y) of the backtest, oldest first: up to 4 whole weeks back, each with a week to fit on. */
export function originsOf(n: number): number[] {
  const count = Math.min(MAX_ORIGINS, Math.floor((n - WEEK) / HORIZON));
  const out: number[] = [];
  for (let k = count; k >= 1; k -= 1) out.push(n - k * HORIZON);
  return out;
}

/** The MASE scale: in-sample seasonal-naive MAE, or the one-day naive MAE where that is 0. */
export function maseScale(y: readonly number[]): number {
  const seasonal = naiveMae(y, WEEK);
  return seasonal > 0 ? seasonal : naiveMae(y, 1);
}

function evaluate(y: readonly number[], method: ForecastMethod, origins: readonly number[]): Evaluated {
  const errors: number[][] = [];
  const actuals: number[][] = [];
  const forecasts: number[][] = [];
  for (const origin of origins) {
    const actual = y.slice(origin, origin + HORIZON);
    const forecast = method.forecast(y.slice(0, origin), actual.length);
    actuals.push(actual);
    forecasts.push(forecast);
    errors.push(actual.map((a, i) => a - forecast[i]!));
  }
  const flat = errors.flat();
  return { method, errors, actuals, forecasts, mae: mean(flat.map(Math.abs)), mse: mean(flat.map((e) => e * e)) };
}

function coverageOf(e: Evaluated): number | null {
  if (e.errors.length < 2) return null;
  let inside = 0;
  let total = 0;
  e.errors.forEach((_, k) => {
    const others = e.errors.filter((__, j) => j !== k).flat();
    const lo = quantile(others, INTERVAL.low);
    const hi = quantile(others, INTERVAL.high);
    e.actuals[k]!.forEach((a, i) => {
      const f = e.forecasts[k]![i]!;
      if (a >= Math.max(0, f + lo) && a <= Math.max(0, f + hi)) inside += 1;
      total += 1;
    });
  });
  return inside / total;
}

/**
 * The chooser's verdict on a history: the method (with its fitted parameters), its backtest
 * errors' interval and figures. `forecastWith` runs it on that history or a longer one.
 */
export interface Selection {
  readonly method: ForecastMethod;
  readonly params: unknown;
  readonly lo: number;
  readonly hi: number;
  readonly rmse: number;
  readonly backtest: Backtest;
  readonly candidates: Forecast['candidates'];
}

/** Chooses a method for `y` (daily units, oldest first, at least MIN_HISTORY_DAYS long) by the backtest. */
export function selectMethod(y: readonly number[], candidates: readonly ForecastMethod[] = allMethods): Selection {
  if (y.length < MIN_HISTORY_DAYS) throw new RangeError(`need ${MIN_HISTORY_DAYS} days of history, got ${y.length}`);
  const origins = originsOf(y.length);
  const eligible = candidates.filter((m) => m.minHistory <= origins[0]!);
  const scale = maseScale(y);
  const evaluated = eligible.map((m) => evaluate(y, m, origins));
  let best = evaluated[0]!;
  for (const e of evaluated) if (e.mse < best.mse - 1e-12) best = e;

  const errors = best.errors.flat();
  return {
    method: best.method,
    params: best.method.fit(y),
    lo: quantile(errors, INTERVAL.low),
    hi: quantile(errors, INTERVAL.high),
    rmse: Math.sqrt(best.mse),
    backtest: {
      mase: scale > 0 ? best.mae / scale : null,
      bias: -mean(errors),
      coverage: coverageOf(best),
      origins: origins.length,
    },
    candidates: evaluated.map((e) => ({ method: e.method.name, mae: e.mae, mase: scale > 0 ? e.mae / scale : null })),
  };
}

/**
 * Forecasts `h` days after the end of `y` with a selection made on `y` or on an earlier part
 * of it (its parameters kept, its recursions run over all of `y`), with the 80 % interval of
 * its backtest errors. The interval's half-widths grow with √(weeks ahead) beyond the
 * backtested week.
 */
export function forecastWith(selection: Selection, y: readonly number[], h: number): Forecast {
  const quantity = selection.method.forecastWith(y, h, selection.params);
  const widen = (i: number) => Math.sqrt(Math.max(1, (i + 1) / HORIZON));
  return {
    method: selection.method.name,
    quantity,
    low: quantity.map((q, i) => Math.max(0, q + selection.lo * widen(i))),
    high: quantity.map((q, i) => Math.max(0, q + selection.hi * widen(i))),
    backtest: selection.backtest,
    rmse: selection.rmse,
    candidates: selection.candidates,
  };
}

/** Chooses a method for `y` by the backtest and forecasts `h` days after its end with an 80 % interval. */
export function forecastSeries(y: readonly number[], h: number, candidates: readonly ForecastMethod[] = allMethods): Forecast {
  return forecastWith(selectMethod(y, candidates), y, h);
}
