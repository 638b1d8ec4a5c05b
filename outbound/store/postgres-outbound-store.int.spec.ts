import { describe } from 'vitest';
import { dropSchemaOnClose, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { outboundStoreContract } from './outbound-store.contract';
import { PostgresOutboundStore } from './postgres-outbound-store';

reportPostgresSkip('OutboundStore contract');

describe.runIf(Boolean(testDatabaseUrl))('PostgresOutboundStore', () => {
  outboundStoreContract('postgres', async () => {
    const schema = freshSchema();
    return dropSchemaOnClose(await PostgresOutboundStore.open({ url: testDatabaseUrl!, schema }), schema);
  });
});
