import { describe, expect, it } from 'vitest';
import { dropSchema, dropSchemaOnClose, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { inboxStoreContract } from './inbox-store.contract';
import { PostgresInboxStore } from './postgres-inbox-store';

reportPostgresSkip('InboxStore contract');

describe.runIf(Boolean(testDatabaseUrl))('PostgresInboxStore', () => {
  inboxStoreContract('postgres', async () => {
    const schema = freshSchema();
    return dropSchemaOnClose(await PostgresInboxStore.open({ url: testDatabaseUrl!, schema }), schema);
  });

  it('given one pending entry, when two processors settle it at once, then one settlement wins and both answer it', async () => {
    const schema = freshSchema();
    const store = await PostgresInboxStore.open({ url: testDatabaseUrl!, schema });
    try {
      await store.receive({ id: 'd1', connectionId: 'c1', receivedAt: '2024-06-02T12:00:00.000Z', delivery: { kind: 'generic', rawBody: 'nul \u0000 byte' }, headers: {} });
      const [a, b] = await Promise.all([
        store.settle('d1', { status: 'done', at: '2024-06-02T12:00:01.000Z', outcome: { status: 'applied', position: '7', duplicate: false } }),
        store.settle('d1', { status: 'quarantined', at: '2024-06-02T12:00:02.000Z', outcome: { status: 'quarantined', quarantineId: 'q', reason: 'r' } }),
      ]);
      expect(a).toEqual(b);
      expect(await store.get('d1')).toEqual(a);
      expect(a!.delivery).toEqual({ kind: 'generic', rawBody: 'nul \u0000 byte' });
      expect(await store.stats('c1', [])).toMatchObject({ receivedSince: [], pending: 0 });
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });
});
