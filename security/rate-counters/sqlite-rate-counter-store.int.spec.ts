import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { rateCounterStoreContract } from './rate-counter-store.contract';
import { SqliteRateCounterStore } from './sqlite-rate-counter-store';

describe('SqliteRateCounterStore', () => {
  rateCounterStoreContract('embedded', async () => {
    let now = 1_000_000;
    const dir = mkdtempSync(join(tmpdir(), 'stocktide-rate-'));
    const path = join(dir, 'rate-limits.sqlite');
    const store = new SqliteRateCounterStore(path, () => now);
    const other = new SqliteRateCounterStore(path, () => now);
    const close = store.close.bind(store);
    return {
      store: Object.assign(store, { close: async () => { await close(); rmSync(dir, { recursive: true, force: true }); } }),
      other,
      advance: (ms: number) => (now += ms),
    };
  });
});
