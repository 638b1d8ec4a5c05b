/**
 * Methods for intermittent demand: most store × SKU series sell nothing on most days, and
 * smoothing the zeros drags a forecast towards an average nobody sells. Both methods smooth
 * the size of a non-zero demand separately from how often one occurs, and forecast a flat rate.
 *
 * Croston (1972) with the Syntetos-Boylan approximation (SBA, 2005), which removes Croston's
 * upward bias:  z ← α·y + (1−α)·z and p ← α·q + (1−α)·p on a demand day (q = days since the
 * previous demand day); forecast (1 − α/2)·z/p.
 *
 * TSB (Teunter, Syntetos & Babai 2011) smooths the demand probability every day, so a
 * series that stopped selling decays towards zero instead of keeping its last rate:
 *   d ← d + β·(1[y>0] − d) each day, z ← z + α·(y − z) on a demand day; forecast d·z.
 */

export const CROSTON_ALPHA = 0.1;
export const TSB_ALPHA = 0.1;
export const TSB_BETA = 0.1;

/** Croston-SBA: `h` copies of its flat rate; 0 when `y` never sold. */
export function crostonSba(y: readonly number[], h: number, alpha = CROSTON_ALPHA): number[] {
  let z = 0;
  let p = 0;
  let q = 0;
  let seen = false;
  for (let t = 0; t < y.length; t += 1) {
    q += 1;
    const demand = y[t]!;
    if (demand <= 0) continue;
    if (!seen) {
      // Initialise with the first demand and the days it took to arrive.
      z = demand;
      p = q;
      seen = true;
    } else {
      z = alpha * demand + (1 - alpha) * z;
      p = alpha * q + (1 - alpha) * p;
    }
    q = 0;
  }
  const rate = seen ? (1 - alpha / 2) * (z / p) : 0;
  return new Array<number>(h).fill(rate);
}

/** TSB: `h` copies of probability × size; 0 when `y` never sold. */
export function tsb(y: readonly number[], h: number, alpha = TSB_ALPHA, beta = TSB_BETA): number[] {
  let nonZero = 0;
  let total = 0;
  for (const v of y) {
    if (v > 0) {
      nonZero += 1;
      total += v;
    }
  }
  if (nonZero === 0) return new Array<number>(h).fill(0);
  // Start from the whole history's frequency and mean size, then let recent days move them.
  let d = nonZero / y.length;
  let z = total / nonZero;
  for (const v of y) {
    if (v > 0) {
      d += beta * (1 - d);
      z += alpha * (v - z);
    } else {
      d += beta * (0 - d);
    }
  }
  return new Array<number>(h).fill(d * z);
}
