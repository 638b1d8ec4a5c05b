import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { MongoRateCounterStore } from './mongo-rate-counter-store';
import { rateCounterStoreContract } from './rate-counter-store.contract';

const uri = process.env.MONGODB_URI?.trim();
if (!uri) console.info('MONGODB_URI not set: MongoDB rate-counter store suite skipped');

describe.runIf(Boolean(uri))('MongoRateCounterStore', () => {
  rateCounterStoreContract('mongodb', async () => {
    let now = 1_000_000;
    const database = `stocktide_test_${randomUUID().slice(0, 8)}`;
    const store = await MongoRateCounterStore.open(uri!, { database, now: () => now });
    const other = await MongoRateCounterStore.open(uri!, { database, now: () => now });
    const close = store.close.bind(store);
    return {
      store: Object.assign(store, { close: async () => { await store.dropDatabase(); await close(); } }),
      other,
      advance: (ms: number) => (now += ms),
    };
  });
});
