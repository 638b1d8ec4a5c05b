/** What every lease store promises (port.ts), run by each adapter's spec with a controllable clock. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeaseStore } from './port';

export interface LeaseFixture {
  readonly store: LeaseStore;
  /** Moves the store's clock forward. */
  advance(ms: number): void;
}

export function leaseStoreContract(name: string, open: () => Promise<LeaseFixture>): void {
  describe(`LeaseStore contract: ${name}`, () => {
    let f: LeaseFixture;
    beforeEach(async () => {
      f = await open();
    });
    afterEach(async () => {
      await f.store.close();
    });

    it('given a free lease, the first holder gets token 1 and another holder gets nothing while it runs', async () => {
      const a = await f.store.acquire('projector', 'A', 1000);
      expect(a).toMatchObject({ name: 'projector', holder: 'A', token: 1n });
      expect(await f.store.acquire('projector', 'B', 1000)).toBeUndefined();
      expect(await f.store.acquire('outbound', 'B', 1000)).toMatchObject({ holder: 'B', token: 1n }); // leases are independent
    });

    it('when the holder renews, it keeps its token; re-acquiring its own running lease too', async () => {
      const a = (await f.store.acquire('projector', 'A', 1000))!;
      f.advance(900);
      expect(await f.store.renew(a, 1000)).toMatchObject({ token: 1n });
      f.advance(900);
      expect(await f.store.acquire('projector', 'B', 1000)).toBeUndefined(); // renewed: still running
      expect(await f.store.acquire('projector', 'A', 1000)).toMatchObject({ token: 1n });
    });

    it('when the holder stops renewing, a standby takes over after the TTL with a greater token, and the old holder cannot renew', async () => {
      const a = (await f.store.acquire('projector', 'A', 1000))!;
      f.advance(1001);
      const b = await f.store.acquire('projector', 'B', 1000);
      expect(b).toMatchObject({ holder: 'B', token: 2n });
      expect(await f.store.renew(a, 1000)).toBeUndefined();
      expect((await f.store.current('projector'))?.token).toBe(2n);
    });

    it('when the holder releases, a standby takes over at once', async () => {
      const a = (await f.store.acquire('projector', 'A', 60_000))!;
      await f.store.release(a);
      expect(await f.store.renew(a, 1000)).toBeUndefined();
      expect(await f.store.acquire('projector', 'B', 1000)).toMatchObject({ holder: 'B', token: 2n });
    });

    it('given two racers for a free lease, exactly one wins', async () => {
      const results = await Promise.all(['A', 'B', 'C', 'D'].map((h) => f.store.acquire('projector', h, 1000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
