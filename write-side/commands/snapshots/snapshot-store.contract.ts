/** The behaviour every snapshot store adapter shares (STYLE 4): run by each adapter's spec. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnapshotStore, StreamSnapshot } from './port';

export function snapshotStoreContract(name: string, open: () => Promise<SnapshotStore>): void {
  describe(`SnapshotStore contract: ${name}`, () => {
    let store: SnapshotStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const snap = (revision: bigint, state: unknown, version = 1): StreamSnapshot =>
      ({ streamId: 'location-L1', version, revision, position: revision * 10n + 3n, state });

    it('given no snapshot, load answers undefined', async () => {
      expect(await store.load('location-none')).toBeUndefined();
    });

    it('when a snapshot is saved, load answers it exactly (revisions beyond 2^53 included)', async () => {
      const state = { seen: [['sale:a', 1700000000000], ['sale:b', null]], name: 'Shop', nested: { n: [1, 2] } };
      await store.save(snap(2n ** 60n, state));
      expect(await store.load('location-L1')).toEqual(snap(2n ** 60n, state));
      expect(await store.load('location-L2')).toBeUndefined();
    });

    it('when an older snapshot is saved after a newer one, the newer stays', async () => {
      await store.save(snap(100n, { at: 100 }));
      await store.save(snap(99n, { at: 99 }));
      await store.save(snap(9n, { at: 9 })); // shorter decimal: compared as a number, not as text
      expect((await store.load('location-L1'))?.state).toEqual({ at: 100 });
      await store.save(snap(101n, { at: 101 }));
      expect((await store.load('location-L1'))?.revision).toBe(101n);
    });

    it('when a snapshot of another codec version is saved, it replaces the stored one', async () => {
      await store.save(snap(100n, { at: 100 }, 1));
      await store.save(snap(5n, { at: 5 }, 2));
      expect(await store.load('location-L1')).toEqual(snap(5n, { at: 5 }, 2));
    });
  });
}
