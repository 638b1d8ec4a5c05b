import { describe, expect, it } from 'vitest';
import { dropSchema, dropSchemaOnClose, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../../storage/testing/postgres-test';
import { PostgresSnapshotStore } from './postgres-snapshot-store';
import { snapshotStoreContract } from './snapshot-store.contract';

reportPostgresSkip('SnapshotStore contract');

describe.runIf(Boolean(testDatabaseUrl))('PostgresSnapshotStore', () => {
  snapshotStoreContract('postgres', async () => {
    const schema = freshSchema();
    return dropSchemaOnClose(await PostgresSnapshotStore.open({ url: testDatabaseUrl!, schema }), schema);
  });

  it('given api processes saving one stream at once (connections of a pool), then the newest revision stays', async () => {
    const schema = freshSchema();
    const store = await PostgresSnapshotStore.open({ url: testDatabaseUrl!, schema });
    try {
      const revisions = [7n, 19n, 3n, 20n, 11n, 1n, 15n, 9n, 18n, 2n];
      await Promise.all(revisions.map((revision) =>
        store.save({ streamId: 'location-L1', version: 1, revision, position: revision * 2n, state: { at: Number(revision) } })));
      expect(await store.load('location-L1')).toEqual({ streamId: 'location-L1', version: 1, revision: 20n, position: 40n, state: { at: 20 } });
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });
});
