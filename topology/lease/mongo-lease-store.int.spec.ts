import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { leaseStoreContract } from './lease-store.contract';
import { MongoLeaseStore } from './mongo-lease-store';

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
});
