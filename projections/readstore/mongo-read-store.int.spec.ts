import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { MongoReadStore } from './mongo-read-store';
import { readStoreContract } from './read-store.contract';

const uri = process.env.MONGODB_URI?.trim();
if (!uri) console.info('MONGODB_URI not set: MongoDB read store suite skipped');

describe.runIf(Boolean(uri))('MongoReadStore', () => {
  // A unique database per store, dropped when the contract closes it.
  readStoreContract('mongodb', async () => {
    const store = await MongoReadStore.open({ uri: uri!, database: `stocktide_test_${randomUUID().slice(0, 8)}` });
    const close = store.close.bind(store);
    return Object.assign(store, {
      close: async () => {
        await store.dropDatabase();
        await close();
      },
    });
  });
});
