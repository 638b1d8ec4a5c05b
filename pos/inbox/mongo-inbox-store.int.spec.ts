import { describe } from 'vitest';
import { inboxStoreContract } from './inbox-store.contract';
import { MongoInboxStore } from './mongo-inbox-store';

const uri = process.env['MONGODB_URI'];
if (!uri) console.info('MongoInboxStore contract skipped: MONGODB_URI is not set');

describe.runIf(Boolean(uri))('MongoInboxStore', () => {
  let n = 0;
  // Each test gets its own collection, so runs never see one another's data.
  inboxStoreContract('mongodb', () => MongoInboxStore.open(uri!, { prefix: `pos_test_${Date.now()}_${n++}` }));
});
