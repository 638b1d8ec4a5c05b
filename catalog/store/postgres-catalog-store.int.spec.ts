import { describe } from 'vitest';
import { dropSchemaOnClose, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { catalogStoreContract } from './catalog-store.contract';
import { PostgresCatalogStore } from './postgres-catalog-store';

reportPostgresSkip('CatalogStore contract');

describe.runIf(Boolean(testDatabaseUrl))('PostgresCatalogStore', () => {
  catalogStoreContract('postgres', async () => {
    const schema = freshSchema();
    return dropSchemaOnClose(await PostgresCatalogStore.open({ url: testDatabaseUrl!, schema }), schema);
  });
});
