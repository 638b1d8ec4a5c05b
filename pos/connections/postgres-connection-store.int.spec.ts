import { describe } from 'vitest';
import { dropSchemaOnClose, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { connectionStoreContract } from './connection-store.contract';
import { PostgresConnectionStore } from './postgres-connection-store';

reportPostgresSkip('ConnectionStore contract');

describe.runIf(Boolean(testDatabaseUrl))('PostgresConnectionStore', () => {
  connectionStoreContract('postgres', async () => {
    const schema = freshSchema();
    return dropSchemaOnClose(await PostgresConnectionStore.open({ url: testDatabaseUrl!, schema }), schema);
  });
});
