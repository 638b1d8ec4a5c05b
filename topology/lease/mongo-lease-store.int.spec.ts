import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FencedOffError } from '../../projections/readstore/port';
import { MongoReadStore } from '../../projections/readstore/mongo-read-store';
import { leaseStoreContract } from './lease-store.contract';
import { MongoLeaseStore } from './mongo-lease-store';

// Needs a replica set (transactions): e.g. MONGODB_URI='mongodb://127.0.0.1:27017/?replicaSet=rs0'.
const uri = process.env.MONGODB_URI?.trim();
if (!uri) console.info('MONGODB_URI not set: MongoDB lease store suite skipped');

describe.runIf(Boolean(uri))('MongoLeaseStore', () => {
  leaseStoreContract('mongodb', async () => {
    let now = 1_000_000;
    const store = await MongoLeaseStore.open(uri!, { database: `stocktide_test_${randomUUID().slice(0, 8)}`, now: () => now });
    const close = store.close.bind(store);
    return {
      store: Object.assign(store, { close: async () => { await store.dropDatabase(); await close(); } }),
      advance: (ms: number) => (now += ms),
    };
  });

  it('given a holder whose lease was taken over, when it commits, then the commit is refused and nothing is written', async () => {
    const database = `stocktide_test_${randomUUID().slice(0, 8)}`;
    let now = 0;
    const leases = await MongoLeaseStore.open(uri!, { database, now: () => now });
    const store = await MongoReadStore.open({ uri: uri!, database });
    try {
      const old = (await leases.acquire('projector', 'A', 1000))!;
      await store.commit('stock', [{ op: 'put', collection: 'c', doc: { _id: '1', v: 'A' } }], 1n, [], { name: 'projector', token: old.token });
      now += 2000;
      const next = (await leases.acquire('projector', 'B', 1000))!;
      expect(next.token).toBeGreaterThan(old.token);
      await expect(store.commit('stock', [{ op: 'put', collection: 'c', doc: { _id: '1', v: 'stale' } }], 2n, [], { name: 'projector', token: old.token }))
        .rejects.toBeInstanceOf(FencedOffError);
      expect(await store.get('c', '1')).toMatchObject({ v: 'A' });
      expect(await store.checkpoint('stock')).toBe(1n);
      await store.commit('stock', [{ op: 'put', collection: 'c', doc: { _id: '1', v: 'B' } }], 2n, [], { name: 'projector', token: next.token });
      expect(await store.get('c', '1')).toMatchObject({ v: 'B' });
    } finally {
      await leases.dropDatabase();
      await Promise.all([leases.close(), store.close()]);
    }
  });
});
