import { describe } from 'vitest';
import { dropSchemaOnClose, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../../storage/testing/postgres-test';
import { PostgresSnapshotStore } from './postgres-snapshot-store';
import { snapshotStoreContract } from './snapshot-store.contract';

reportPostgresSkip('SnapshotStore contract');

describe.runIf(Boolean(testDatabaseUrl))('PostgresSnapshotStore', () => {
  snapshotStoreContract('postgres', async () => {
    const schema = freshSchema();
    return dropSchemaOnClose(await PostgresSnapshotStore.open({ url: testDatabaseUrl!, schema }), schema);
  });
});
