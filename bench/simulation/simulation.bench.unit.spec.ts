import { describe, expect, it } from 'vitest';
import { parseSimulateArgs } from '../../simulator/main';
import { comparedRow } from '../bench-row';
import { simulationSummary, sizeOf, FULL } from './simulation.bench';

describe('simulation benchmark', () => {
  it('reads BENCH_SIM_SIZE as stores x SKUs x days, the defaults without it, and refuses anything else', () => {
    expect(sizeOf(undefined, FULL)).toEqual({ stores: 20, skus: 200, days: 180 });
    expect(sizeOf('10x100x120', FULL)).toEqual({ stores: 10, skus: 100, days: 120 });
    expect(() => sizeOf('10x100', FULL)).toThrow(/storesxSKUsxdays/);
  });

  it('summarises the rows: reduction = 1 − ratio, transfer speed-up = supplier ÷ transfer days', () => {
    const rows = [
      comparedRow('simulation: stockout rate, stocktide (x)', 0.01, 'share', 'b', 0.04),
      comparedRow('simulation: avg inventory value, stocktide (x)', 90, 'minor units', 'b', 100),
      comparedRow('simulation: fill rate, stocktide (x)', 0.98, 'share', 'b', 0.95),
      comparedRow('simulation: replenish days by transfer, stocktide (x)', 1.25, 'days', 's', 5),
      { name: 'simulation: events/s, stocktide policy (x)', value: 40, unit: 'events/s' },
    ];
    expect(simulationSummary(rows)).toEqual({
      'simulation.stockoutReduction': 0.75, 'simulation.inventoryValueRatio': 0.9, 'simulation.fillRate': 0.98,
      'simulation.transferSpeedup': 4, 'simulation.eventsPerSec': 40,
    });
    expect(simulationSummary([])).toEqual({});
  });
});

describe('npm run simulate arguments (the stable interface)', () => {
  it('takes --stores --skus --days --seed --policy --out, with the issue’s defaults', () => {
    expect(parseSimulateArgs([])).toMatchObject({ stores: 20, skus: 200, days: 180, seed: 7, policy: 'both', out: 'bench/results/simulation.json' });
    expect(parseSimulateArgs(['--stores', '3', '--skus', '20', '--days', '60', '--seed', '9', '--policy', 'stocktide', '--out', 'x.json']))
      .toMatchObject({ stores: 3, skus: 20, days: 60, seed: 9, policy: 'stocktide', out: 'x.json' });
  });

  it('refuses a policy it does not know, sizes out of range and a run no longer than the warm-up', () => {
    expect(() => parseSimulateArgs(['--policy', 'magic'])).toThrow(/--policy/);
    expect(() => parseSimulateArgs(['--stores', '0'])).toThrow(/--stores/);
    expect(() => parseSimulateArgs(['--days', '20'])).toThrow(/--days/);
  });
});
