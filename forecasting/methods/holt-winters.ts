/**
 * Additive Holt-Winters with a damped trend and weekly seasonality (ETS(A,Ad,A) without the
 * likelihood): level, trend and one seasonal term per weekday, each smoothed exponentially.
 * Parameters are picked from a small grid by the in-sample one-step squared error, which is
 * what ETS estimation minimises for the additive error model (FPP3 §8.6), cheap and stable.
 *
 *   level_t  = α (y_t − s_{t−m}) + (1 − α)(level_{t−1} + φ trend_{t−1})
 *   trend_t  = β (level_t − level_{t−1}) + (1 − β) φ trend_{t−1}
 *   s_t      = γ (y_t − level_{t−1} − φ trend_{t−1}) + (1 − γ) s_{t−m}
 *   ŷ_{t+h}  = level_t + (φ + … + φ^h) trend_t + s_{t+h−m}
 */
import { WEEK } from './seasonal-naive';

export interface HoltWintersParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  /** Damping of the trend (1 = undamped). */
  readonly phi: number;
}

/** Two full weeks: one to initialise the seasonal terms, one to see the trend. */
export const HOLT_WINTERS_MIN_HISTORY = 2 * WEEK;

const ALPHAS = [0.05, 0.15, 0.3, 0.5];
const BETAS = [0, 0.05, 0.15];
const GAMMAS = [0.05, 0.15, 0.3];
const PHI = 0.98;

interface Fitted {
  level: number;
  trend: number;
  season: number[];
  sse: number;
}

/** Runs the recursions over `y`; `sse` is the sum of squared one-step errors after the first week. */
function run(y: readonly number[], p: HoltWintersParams, m: number): Fitted {
  let first = 0;
  let second = 0;
  for (let i = 0; i < m; i += 1) {
    first += y[i]!;
    second += y[m + i]!;
  }
  first /= m;
  second /= m;
  let level = first;
  let trend = (second - first) / m;
  const season: number[] = [];
  for (let i = 0; i < m; i += 1) season.push(y[i]! - first);
  let sse = 0;
  // The first week only initialised the terms: from index m on, predict then update.
  // The trend belongs to the middle of the first week; start the level at its end.
  level = first + trend * ((m - 1) / 2);
  for (let t = m; t < y.length; t += 1) {
    const s = season[t % m]!;
    const damped = p.phi * trend;
    const predicted = level + damped + s;
    const error = y[t]! - predicted;
    sse += error * error;
    const previous = level;
    level = p.alpha * (y[t]! - s) + (1 - p.alpha) * (previous + damped);
    trend = p.beta * (level - previous) + (1 - p.beta) * damped;
    season[t % m] = p.gamma * (y[t]! - previous - damped) + (1 - p.gamma) * s;
  }
  return { level, trend, season, sse };
}

function project(f: Fitted, n: number, h: number, phi: number, m: number): number[] {
  const out: number[] = [];
  let dampedSum = 0;
  let power = 1;
  for (let k = 1; k <= h; k += 1) {
    power *= phi;
    dampedSum += power;
    // Sales are never negative: a forecast below zero means zero.
    out.push(Math.max(0, f.level + dampedSum * f.trend + f.season[(n + k - 1) % m]!));
  }
  return out;
}

/** Forecasts with given parameters (for tests and for callers that fitted already). */
export function holtWintersForecast(y: readonly number[], h: number, params: HoltWintersParams, m = WEEK): number[] {
  if (y.length < 2 * m) throw new RangeError(`Holt-Winters needs ${2 * m} observations, got ${y.length}`);
  return project(run(y, params, m), y.length, h, params.phi, m);
}

/** The grid point with the least in-sample one-step squared error. */
export function fitHoltWinters(y: readonly number[], m = WEEK): HoltWintersParams {
  let best: HoltWintersParams = { alpha: ALPHAS[0]!, beta: BETAS[0]!, gamma: GAMMAS[0]!, phi: PHI };
  let bestSse = Infinity;
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      for (const gamma of GAMMAS) {
        const params = { alpha, beta, gamma, phi: PHI };
        const { sse } = run(y, params, m);
        if (sse < bestSse) {
          bestSse = sse;
          best = params;
        }
      }
    }
  }
  return best;
}

/** Fits on `y` and forecasts `h` days. */
export function holtWinters(y: readonly number[], h: number, m = WEEK): number[] {
  return holtWintersForecast(y, h, fitHoltWinters(y, m), m);
}
