import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { MongoSnapshotStore } from './mongo-snapshot-store';
import { snapshotStoreContract } from './snapshot-store.contract';

const uri = process.env.MONGODB_URI?.trim();
if (!uri) console.info('MONGODB_URI not set: MongoDB snapshot store suite skipped');

describe.runIf(Boolean(uri))('MongoSnapshotStore', () => {
  snapshotStoreContract('mongodb', async () => {
    const store = await MongoSnapshotStore.open(uri!, { database: `stocktide_test_${randomUUID().slice(0, 8)}` });
    const close = store.close.bind(store);
    return Object.assign(store, {
      close: async () => {
        await store.dropDatabase();
        await close();
      },
    });
  });
});
