/** What every rate-counter store promises (port.ts), run by each adapter's spec with a controllable clock. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateCounterStore } from './port';

export interface RateCounterFixture {
  readonly store: RateCounterStore;
  /** A second store on the same data, as another api process would open it. */
  readonly other: RateCounterStore;
  /** Moves both stores' clock forward. */
  advance(ms: number): void;
}

export function rateCounterStoreContract(name: string, open: () => Promise<RateCounterFixture>): void {
  describe(`RateCounterStore contract: ${name}`, () => {
    let f: RateCounterFixture;
    beforeEach(async () => {
      f = await open();
    });
    afterEach(async () => {
      await f.other.close();
      await f.store.close();
    });

    it('given no hits, the first hit opens a window at 1 and each further hit inside it counts one more', async () => {
      expect(await f.store.peek('k')).toEqual({ current: 0, ttlMs: 0 });
      expect(await f.store.hit('k', 1000)).toEqual({ current: 1, ttlMs: 1000 });
      f.advance(400);
      expect(await f.store.hit('k', 1000)).toEqual({ current: 2, ttlMs: 600 });
      expect(await f.store.peek('k')).toEqual({ current: 2, ttlMs: 600 });
      expect(await f.store.hit('other-key', 1000)).toEqual({ current: 1, ttlMs: 1000 }); // keys are independent
    });

    it('when the window has ended, the next hit opens a new one at 1 and peek reports no window', async () => {
      await f.store.hit('k', 1000);
      await f.store.hit('k', 1000);
      f.advance(1000);
      expect(await f.store.peek('k')).toEqual({ current: 0, ttlMs: 0 });
      expect(await f.store.hit('k', 1000)).toEqual({ current: 1, ttlMs: 1000 });
    });

    it('two processes share one budget: hits through either count in the same window', async () => {
      expect(await f.store.hit('login|1.2.3.4|ann', 60_000)).toMatchObject({ current: 1 });
      expect(await f.other.hit('login|1.2.3.4|ann', 60_000)).toMatchObject({ current: 2 });
      expect(await f.store.hit('login|1.2.3.4|ann', 60_000)).toMatchObject({ current: 3 });
      expect(await f.other.peek('login|1.2.3.4|ann')).toMatchObject({ current: 3 });
    });

    it('concurrent hits from two processes are each counted exactly once', async () => {
      const hits = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? f.store : f.other).hit('burst', 60_000)));
      expect(hits.map((h) => h.current).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(await f.store.peek('burst')).toMatchObject({ current: 60 });
    });

    it('sweep removes only counters whose window ended', async () => {
      await f.store.hit('short', 100);
      await f.store.hit('long', 10_000);
      f.advance(500);
      expect(await f.store.sweep()).toBe(1);
      expect(await f.store.peek('long')).toEqual({ current: 1, ttlMs: 9_500 });
      expect(await f.store.hit('short', 100)).toEqual({ current: 1, ttlMs: 100 });
    });

    it('keys are any text: long, unicode, with separators and quotes', async () => {
      const key = `webhook|${'c'.repeat(300)}|::ffff:127.0.0.1|ü'"\\`;
      expect(await f.store.hit(key, 1000)).toMatchObject({ current: 1 });
      expect(await f.other.hit(key, 1000)).toMatchObject({ current: 2 });
    });
  });
}
