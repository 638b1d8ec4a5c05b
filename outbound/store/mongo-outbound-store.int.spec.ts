import { describe } from 'vitest';
import { MongoOutboundStore } from './mongo-outbound-store';
import { outboundStoreContract } from './outbound-store.contract';

const uri = process.env['MONGODB_URI'];
if (!uri) console.info('MongoOutboundStore contract skipped: MONGODB_URI is not set');

describe.runIf(Boolean(uri))('MongoOutboundStore', () => {
  let n = 0;
  // Each test gets its own collections, so runs never see one another's data.
  outboundStoreContract('mongodb', () => MongoOutboundStore.open(uri!, { prefix: `outbound_test_${Date.now()}_${n++}` }));
});
