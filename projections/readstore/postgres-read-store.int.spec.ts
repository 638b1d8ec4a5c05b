import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { dropSchema, dropSchemaOnClose, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import { CheckpointConflictError } from './port';
import { watchChanges } from './postgres-changes';
import { migrate, openPostgres } from '../../storage/postgres';
import { PostgresReadStore, READ_STORE_MIGRATIONS } from './postgres-read-store';
import { readStoreContract } from './read-store.contract';

reportPostgresSkip('ReadStore contract');

const open = async () => {
  const schema = freshSchema();
  return dropSchemaOnClose(await PostgresReadStore.open({ url: testDatabaseUrl!, schema }), schema);
};

describe.runIf(Boolean(testDatabaseUrl))('PostgresReadStore', () => {
  readStoreContract('postgres', open);

  it('given an index on (loc, sku, pos), then equality on loc and sku with a range on pos is served by it', async () => {
    const store = await open();
    try {
      await store.ensureIndexes([{ collection: 'ledger', fields: ['loc', 'sku', 'pos'] }]);
      const docs = Array.from({ length: 3000 }, (_, i) => ({ op: 'put' as const, collection: 'ledger', doc: { _id: `d${i}`, loc: `L${i % 30}`, sku: `S${i % 7}`, pos: i } }));
      await store.commit('p', docs, 1n);
      await store.pool.query(`ANALYZE "c_ledger"`);
      const plan = (await store.explain('ledger', { where: { loc: 'L3', sku: 'S2', pos: { gt: 100 } }, orderBy: [['pos', 'desc']] })).join('\n');
      expect(plan).toMatch(/Index Scan|Bitmap Index Scan/);
      expect(plan).not.toMatch(/Seq Scan/);
      expect((await store.find('ledger', { where: { loc: 'L3', sku: 'S2', pos: { gt: 100 } }, orderBy: [['pos', 'desc']], limit: 2 })).map((d) => d.pos))
        .toEqual([2823, 2613]); // i ≡ 3 (mod 30) and i ≡ 2 (mod 7): 93 + 210k
    } finally {
      await store.close();
    }
  });

  it('given two writers of one projection, then only one commit of a position wins', async () => {
    const store = await open();
    try {
      const outcomes = await Promise.allSettled([1, 2, 3, 4].map((v) =>
        store.commit('p', [{ op: 'put', collection: 'c', doc: { _id: 'x', v } }], 5n)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await store.checkpoint('p')).toBe(5n);
    } finally {
      await store.close();
    }
  });

  it('given another process committed since this store read the checkpoint, then its batch is refused until it reads the checkpoint again', async () => {
    const schema = freshSchema();
    const mine = await PostgresReadStore.open({ url: testDatabaseUrl!, schema });
    const other = await PostgresReadStore.open({ url: testDatabaseUrl!, schema: schema });
    try {
      expect(await mine.checkpoint('p')).toBe(0n);
      await other.commit('p', [{ op: 'put', collection: 'c', doc: { _id: 'x', applied: [1, 2] } }], 2n);
      // My batch 1..3 was computed from the state at 0: beyond 2, yet built on documents that moved.
      await expect(mine.commit('p', [{ op: 'put', collection: 'c', doc: { _id: 'x', applied: [1, 2, 3] } }], 3n))
        .rejects.toBeInstanceOf(CheckpointConflictError);
      expect(await mine.get('c', 'x')).toEqual({ _id: 'x', applied: [1, 2] });
      expect(await mine.checkpoint('p')).toBe(2n);
      await mine.commit('p', [{ op: 'put', collection: 'c', doc: { _id: 'x', applied: [1, 2, 3] } }], 3n);
      expect(await other.get('c', 'x')).toEqual({ _id: 'x', applied: [1, 2, 3] });
    } finally {
      await mine.close();
      await other.close();
      await dropSchema(schema);
    }
  });

  it('given changes committed, then changesAfter pages them from a cursor, and from now starts empty', async () => {
    const store = await open();
    try {
      await store.commit('a', [], 1n, [{ position: '1', n: 1 }]);
      const now = await store.changesAfter(undefined, 10);
      expect(now.changes).toEqual([]);
      await store.commit('a', [], 2n, [{ position: '2', n: 2 }, { position: '2', n: 3 }]);
      await store.commit('b', [], 3n, [{ position: '3', n: 4 }]);
      const first = await store.changesAfter(now.cursor, 2);
      expect(first.changes.map((c) => c['n'])).toEqual([2, 3]);
      const second = await store.changesAfter(first.cursor, 2);
      expect(second.changes.map((c) => c['n'])).toEqual([4]);
      expect((await store.changesAfter(second.cursor, 2)).changes).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('given changes committed with batches, then a watcher sees the backlog after its position, then live ones, each once in commit order', async () => {
    const store = await open();
    try {
      const change = (position: number, n: number) => ({ position: String(position), kind: 'stock', n });
      await store.commit('a', [], 3n, [change(2, 1), change(3, 2)]);
      await store.commit('b', [], 4n, [change(4, 3)]);
      const seen = firstValueFrom(watchChanges(store, 2n, { pollMs: 5000 }).pipe(take(4), toArray()));
      await new Promise((r) => setTimeout(r, 200));
      await store.commit('a', [], 6n, [change(6, 4)]);
      await store.commit('b', [], 5n, [change(5, 5)]); // lower position, later commit: still delivered
      expect((await seen).map((c) => c['n'])).toEqual([2, 3, 4, 5]);
    } finally {
      await store.close();
    }
  });

  it('given a store in the first layout (jsonb expression indexes), when opened, then its collections and checkpoints are dropped for a rebuild and queries use the typed columns', async () => {
    const schema = freshSchema();
    const old = await openPostgres({ url: testDatabaseUrl!, schema });
    try {
      await migrate(old.pool, 'readstore', READ_STORE_MIGRATIONS.slice(0, 1));
      await old.pool.query(`CREATE TABLE "c_ledger" (id text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
        INSERT INTO "c_ledger" VALUES ('a', '{"_id":"a","sku":"A"}');
        INSERT INTO read_checkpoints VALUES ('stock', 42);`);
    } finally {
      await old.release();
    }
    const store = dropSchemaOnClose(await PostgresReadStore.open({ url: testDatabaseUrl!, schema }), schema);
    try {
      expect(await store.checkpoint('stock')).toBe(0n);
      expect(await store.get('ledger', 'a')).toBeUndefined();
      await store.ensureIndexes([{ collection: 'ledger', fields: ['sku'] }]);
      await store.commit('stock', [{ op: 'put', collection: 'ledger', doc: { _id: 'b', sku: 'A' } }, { op: 'put', collection: 'ledger', doc: { _id: 'c', sku: 7 } }], 1n);
      expect((await store.find('ledger', { where: { sku: 'A' } })).map((d) => d._id)).toEqual(['b']);
      const { rows } = await store.pool.query<{ r: number; n: number | null; t: string | null }>(
        `SELECT "r:sku" AS r, "n:sku" AS n, "t:sku" AS t FROM "c_ledger" ORDER BY id`);
      expect(rows).toEqual([{ r: 2, n: null, t: 'A' }, { r: 1, n: 7, t: null }]);
      const plan = (await store.explain('ledger', { where: { sku: 'A' } })).join('\n');
      expect(plan).toMatch(/"r:sku"|Index/);
    } finally {
      await store.close();
    }
  });
});
