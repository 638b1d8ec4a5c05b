import { describe } from 'vitest';
import { dropSchema, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { PostgresRateCounterStore } from './postgres-rate-counter-store';
import { rateCounterStoreContract } from './rate-counter-store.contract';

reportPostgresSkip('RateCounterStore contract');

describe.runIf(Boolean(testDatabaseUrl))('PostgresRateCounterStore', () => {
  rateCounterStoreContract('postgres', async () => {
    let now = 1_000_000;
    const schema = freshSchema();
    const store = await PostgresRateCounterStore.open({ url: testDatabaseUrl!, schema }, () => now);
    // Another api process: the same schema, its own pool (the URL differs only by a harmless parameter).
    const other = await PostgresRateCounterStore.open({ url: `${testDatabaseUrl!}${testDatabaseUrl!.includes('?') ? '&' : '?'}application_name=other`, schema }, () => now);
    const close = store.close.bind(store);
    return {
      store: Object.assign(store, { close: async () => { await close(); await dropSchema(schema); } }),
      other,
      advance: (ms: number) => (now += ms),
    };
  });
});
