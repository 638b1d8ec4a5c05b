import { describe, expect, it } from 'vitest';
import { FencedOffError } from '../../projections/readstore/port';
import { PostgresReadStore } from '../../projections/readstore/postgres-read-store';
import { dropSchema, dropSchemaOnClose, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { leaseStoreContract } from './lease-store.contract';
import { PostgresLeaseStore } from './postgres-lease-store';

reportPostgresSkip('LeaseStore contract');

describe.runIf(Boolean(testDatabaseUrl))('PostgresLeaseStore', () => {
  leaseStoreContract('postgres', async () => {
    let now = 1_000_000;
    const schema = freshSchema();
    const store = dropSchemaOnClose(await PostgresLeaseStore.open({ url: testDatabaseUrl!, schema }, () => now), schema);
    return { store, advance: (ms: number) => (now += ms) };
  });

  it('given a holder whose lease was taken over, when it commits, then the commit is refused and nothing is written', async () => {
    const schema = freshSchema();
    let now = 0;
    const leases = await PostgresLeaseStore.open({ url: testDatabaseUrl!, schema }, () => now);
    const store = await PostgresReadStore.open({ url: testDatabaseUrl!, schema });
    try {
      const old = (await leases.acquire('projector', 'A', 1000))!;
      await store.commit('stock', [{ op: 'put', collection: 'c', doc: { _id: '1', v: 'A' } }], 1n, [], { name: 'projector', token: old.token });
      now += 2000;
      const next = (await leases.acquire('projector', 'B', 1000))!;
      await expect(store.commit('stock', [{ op: 'put', collection: 'c', doc: { _id: '1', v: 'stale' } }], 2n, [], { name: 'projector', token: old.token }))
        .rejects.toBeInstanceOf(FencedOffError);
      expect(await store.get('c', '1')).toMatchObject({ v: 'A' });
      expect(await store.checkpoint('stock')).toBe(1n);
      await store.commit('stock', [{ op: 'put', collection: 'c', doc: { _id: '1', v: 'B' } }], 2n, [], { name: 'projector', token: next.token });
      expect(await store.get('c', '1')).toMatchObject({ v: 'B' });
    } finally {
      await Promise.all([leases.close(), store.close()]);
      await dropSchema(schema);
    }
  });
});
