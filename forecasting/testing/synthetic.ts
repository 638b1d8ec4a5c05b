/**
 * Seeded synthetic daily-sales series with a known structure, for the chooser's tests and
 * the forecast benchmark: the same seed always gives the same series.
 */

/** A small deterministic generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson draw (Knuth's method; fine for the small rates of one SKU at one store). */
export function poisson(random: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

/** Weekday shape of a shop: quiet early week, busy Friday and Saturday (index 0 = the series' first day). */
export const WEEKDAY_SHAPE = [0.7, 0.8, 0.8, 0.9, 1.3, 1.7, 0.8] as const;

export type SeriesKind = 'seasonal' | 'intermittent' | 'trend';
export const seriesKinds: readonly SeriesKind[] = ['seasonal', 'intermittent', 'trend'];

/** Weekday seasonality around `level` units a day, Poisson noise. */
export function seasonalSeries(days: number, seed: number, level = 8): number[] {
  const random = seeded(seed);
  return Array.from({ length: days }, (_, t) => poisson(random, level * WEEKDAY_SHAPE[t % 7]!));
}

/** Sells on about `probability` of days, 1 + Poisson(size − 1) units when it does. */
export function intermittentSeries(days: number, seed: number, probability = 0.2, size = 2): number[] {
  const random = seeded(seed);
  return Array.from({ length: days }, () => (random() < probability ? 1 + poisson(random, size - 1) : 0));
}

/** A level growing by `slope` units a day, with weekday seasonality and Poisson noise. */
export function trendSeries(days: number, seed: number, start = 3, slope = 0.1): number[] {
  const random = seeded(seed);
  return Array.from({ length: days }, (_, t) => poisson(random, (start + slope * t) * WEEKDAY_SHAPE[t % 7]!));
}

export function syntheticSeries(kind: SeriesKind, days: number, seed: number): number[] {
  switch (kind) {
    case 'seasonal': return seasonalSeries(days, seed);
    case 'intermittent': return intermittentSeries(days, seed);
    case 'trend': return trendSeries(days, seed);
    default: {
      const _exhaustive: never = kind;
      return _exhaustive;
    }
  }
}
