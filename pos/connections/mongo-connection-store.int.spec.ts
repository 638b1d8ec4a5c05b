import { describe } from 'vitest';
import { connectionStoreContract } from './connection-store.contract';
import { MongoConnectionStore } from './mongo-connection-store';

const uri = process.env['MONGODB_URI'];
if (!uri) console.info('MongoConnectionStore contract skipped: MONGODB_URI is not set');

describe.runIf(Boolean(uri))('MongoConnectionStore', () => {
  let n = 0;
  // Each test gets its own collections, so runs never see one another's data.
  connectionStoreContract('mongodb', () => MongoConnectionStore.open(uri!, { prefix: `pos_test_${Date.now()}_${n++}` }));
});
