import { describe } from 'vitest';
import { dropSchemaOnClose, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { eventStoreContract } from './event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

reportPostgresSkip('EventStore contract');

describe.runIf(Boolean(testDatabaseUrl))('PostgresEventStore', () => {
  eventStoreContract('postgres', async () => {
    const schema = freshSchema();
    return dropSchemaOnClose(await PostgresEventStore.open({ url: testDatabaseUrl!, schema }), schema);
  }, { propertyRuns: 10, seamEvents: { before: 3000, during: 400 } });
});
