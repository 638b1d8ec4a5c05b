import { describe } from 'vitest';
import { dropSchema, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { identityStoreContract } from './identity-store.contract';
import { PostgresIdentityStore } from './postgres-identity-store';

reportPostgresSkip('IdentityStore contract');

describe.runIf(Boolean(testDatabaseUrl))('PostgresIdentityStore', () => {
  // A fresh schema per test keeps the contract's "empty store" promise.
  identityStoreContract('postgres', async () => {
    const schema = freshSchema();
    const store = await PostgresIdentityStore.open({ url: testDatabaseUrl!, schema });
    return { store, cleanup: async () => { await store.close(); await dropSchema(schema); } };
  });
});
