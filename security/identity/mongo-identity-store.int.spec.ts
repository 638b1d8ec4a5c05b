import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { identityStoreContract } from './identity-store.contract';
import { MongoIdentityStore } from './mongo-identity-store';

const uri = process.env.MONGODB_URI;
if (!uri) console.info('[security] MongoIdentityStore contract skipped: MONGODB_URI is not set');

describe.runIf(Boolean(uri))('MongoIdentityStore', () => {
  let client: MongoClient;
  beforeAll(async () => {
    client = new MongoClient(uri!);
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
  });

  // A fresh database per test keeps the contract's "empty store" promise.
  identityStoreContract('mongodb', async () => {
    const db = client.db(`stocktide_identity_test_${randomBytes(6).toString('hex')}`);
    const store = await MongoIdentityStore.open(db);
    return { store, cleanup: async () => { await db.dropDatabase(); } };
  });
});
