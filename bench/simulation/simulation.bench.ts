/**
 * The outcome benchmark: the chain simulation (simulator/) with both policies on the same
 * demand, its figures as rows beside their baseline (the baseline policy, or supplier
 * replenishment for transfer speed), and the run's JSON and chart in bench/results/
 * (simulation.json, simulation.html), as `npm run simulate` writes them.
 *
 * Size: the defaults (20 stores × 200 SKUs × 180 days); `--quick` 3 × 20 × 42;
 * `BENCH_SIM_SIZE=10x100x120` (stores x SKUs x days) and `BENCH_SIM_SEED` override.
 */
import { join } from 'node:path';
import { comparedRow, type BenchRow } from '../bench-row';
import { simulate } from '../../simulator/main';

export const FULL = { stores: 20, skus: 200, days: 180 };
export const QUICK = { stores: 3, skus: 20, days: 42 };

export function sizeOf(text: string | undefined, fallback: typeof FULL): typeof FULL {
  if (!text) return fallback;
  const match = /^(\d+)x(\d+)x(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`BENCH_SIM_SIZE must read storesxSKUsxdays, e.g. 10x100x120 (got ${text})`);
  return { stores: Number(match[1]), skus: Number(match[2]), days: Number(match[3]) };
}

export async function benchSimulation(size: typeof FULL, seed = 7): Promise<BenchRow[]> {
  const { result } = await simulate({ ...size, seed, policy: 'both', out: join(import.meta.dirname, '..', 'results', 'simulation.json'), quiet: true });
  const { baseline, stocktide } = result.summary;
  if (!baseline || !stocktide) throw new Error('the simulation ran without both policies');
  const label = `${size.stores}x${size.skus}x${size.days}, seed ${seed}`;
  const rows: BenchRow[] = [
    { name: `simulation: stockout rate, baseline (${label})`, value: baseline.stockoutRate, unit: 'share' },
    comparedRow(`simulation: stockout rate, stocktide (${label})`, stocktide.stockoutRate, 'share', `simulation: stockout rate, baseline (${label})`, baseline.stockoutRate),
    { name: `simulation: avg inventory value, baseline (${label})`, value: baseline.avgInventoryValue, unit: 'minor units' },
    comparedRow(`simulation: avg inventory value, stocktide (${label})`, stocktide.avgInventoryValue, 'minor units', `simulation: avg inventory value, baseline (${label})`, baseline.avgInventoryValue),
    { name: `simulation: fill rate, baseline (${label})`, value: baseline.fillRate, unit: 'share' },
    comparedRow(`simulation: fill rate, stocktide (${label})`, stocktide.fillRate, 'share', `simulation: fill rate, baseline (${label})`, baseline.fillRate),
  ];
  if (stocktide.replenishDaysSupplier !== null && stocktide.replenishDaysTransfer !== null) {
    rows.push(
      { name: `simulation: replenish days by supplier, stocktide (${label})`, value: stocktide.replenishDaysSupplier, unit: 'days' },
      comparedRow(`simulation: replenish days by transfer, stocktide (${label})`, stocktide.replenishDaysTransfer, 'days',
        `simulation: replenish days by supplier, stocktide (${label})`, stocktide.replenishDaysSupplier),
    );
  }
  rows.push({ name: `simulation: events/s, stocktide policy (${label})`, value: stocktide.eventsPerSec, unit: 'events/s' });
  return rows;
}

/** Summary keys of the outcome: `simulation.stockoutReduction`, `.inventoryValueRatio`, `.fillRate`, `.transferSpeedup`, `.eventsPerSec`. */
export function simulationSummary(rows: readonly BenchRow[]): Record<string, number> {
  const find = (prefix: string) => rows.find((r) => r.name.startsWith(prefix));
  const out: Record<string, number> = {};
  const stockouts = find('simulation: stockout rate, stocktide');
  if (stockouts?.ratio !== undefined) out['simulation.stockoutReduction'] = Math.round((1 - stockouts.ratio) * 100) / 100;
  const value = find('simulation: avg inventory value, stocktide');
  if (value?.ratio !== undefined) out['simulation.inventoryValueRatio'] = value.ratio;
  const fill = find('simulation: fill rate, stocktide');
  if (fill) out['simulation.fillRate'] = fill.value;
  const transfer = find('simulation: replenish days by transfer');
  if (transfer?.ratio !== undefined && transfer.ratio > 0) out['simulation.transferSpeedup'] = Math.round((1 / transfer.ratio) * 100) / 100;
  const rate = find('simulation: events/s');
  if (rate) out['simulation.eventsPerSec'] = rate.value;
  return out;
}
