import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStoreContract } from './read-store.contract';
import Database from 'better-sqlite3';
import { READ_SCHEMA_VERSION, SqliteReadStore } from './sqlite-read-store';

readStoreContract('sqlite', async () => new SqliteReadStore({ path: ':memory:' }));

describe('SqliteReadStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a committed batch, when the file is reopened, then documents and checkpoint persist', async () => {
    const path = join(dir, 'read.sqlite');
    const first = new SqliteReadStore({ path });
    await first.commit('p', [{ op: 'put', collection: 'c', doc: { _id: 'a', n: 1 } }], 42n);
    await first.close();
    const second = new SqliteReadStore({ path });
    expect(await second.checkpoint('p')).toBe(42n);
    expect(await second.get('c', 'a')).toEqual({ _id: 'a', n: 1 });
    await second.close();
  });

  it('given a table created by another connection, when read, then it is seen', async () => {
    const path = join(dir, 'shared.sqlite');
    const reader = new SqliteReadStore({ path });
    const writer = new SqliteReadStore({ path });
    expect(await reader.get('c', 'a')).toBeUndefined();
    await writer.commit('p', [{ op: 'put', collection: 'c', doc: { _id: 'a' } }], 1n);
    expect(await reader.get('c', 'a')).toEqual({ _id: 'a' });
    await reader.close();
    await writer.close();
  });

  it('given a bulk load into a file that already has a collection, when loaded and finished, then reads see old and new documents and they persist', async () => {
    const path = join(dir, 'bulk.sqlite');
    const before = new SqliteReadStore({ path });
    await before.commit('p', [{ op: 'put', collection: 'old', doc: { _id: 'o' } }], 1n);
    await before.close();
    const bulk = new SqliteReadStore({ path, bulkLoad: true });
    expect(await bulk.get('old', 'o')).toEqual({ _id: 'o' });
    expect(await bulk.get('fresh', 'a')).toBeUndefined();
    await bulk.commit('p', [{ op: 'put', collection: 'fresh', doc: { _id: 'a', n: 1 } }], 2n);
    expect(await bulk.get('fresh', 'a')).toEqual({ _id: 'a', n: 1 });
    await bulk.finishBulkLoad();
    await bulk.close();
    const after = new SqliteReadStore({ path });
    expect(await after.checkpoint('p')).toBe(2n);
    expect(await after.get('fresh', 'a')).toEqual({ _id: 'a', n: 1 });
    expect(await after.get('old', 'o')).toEqual({ _id: 'o' });
    await after.close();
  });

  it('given an index, when a ledger is queried by its keys in order, then SQLite uses the index for filter and order', async () => {
    const store = new SqliteReadStore({ path: ':memory:' });
    await store.ensureIndexes([{ collection: 'ledger', fields: ['locationId', 'sku', 'position'] }]);
    const plan = store.explain('ledger', {
      where: { locationId: 'L1', sku: 'A', position: { lt: '0000000000000000000000000000000000000100' } },
      orderBy: [['position', 'desc']],
      limit: 50,
    });
    expect(plan.join(' ')).toMatch(/USING INDEX ix_ledger__locationId__sku__position/);
    expect(plan.join(' ')).not.toMatch(/TEMP B-TREE/);
    await store.close();
  });

  it('given a file in the old layout (documents only, expression indexes), when opened, then it is emptied for a rebuild and leases are kept', async () => {
    const path = join(dir, 'old-layout.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE checkpoints (projection TEXT PRIMARY KEY, position TEXT NOT NULL);
      CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, change TEXT NOT NULL);
      CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, token INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE "c_ledger" (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX "ix_ledger__sku" ON "c_ledger" ((CASE json_type(doc, '$.sku') WHEN 'text' THEN 2 ELSE 0 END), json_extract(doc, '$.sku'));
      INSERT INTO "c_ledger" VALUES ('a', '{"_id":"a","sku":"A"}');
      INSERT INTO checkpoints VALUES ('stock', '42');
      INSERT INTO changes (change) VALUES ('{"position":"42"}');
      INSERT INTO leases VALUES ('projector', 'me', 7, 0);`);
    old.close();
    const store = new SqliteReadStore({ path });
    expect(await store.checkpoint('stock')).toBe(0n);
    expect(await store.get('ledger', 'a')).toBeUndefined();
    await store.ensureIndexes([{ collection: 'ledger', fields: ['sku'] }]);
    await store.commit('stock', [{ op: 'put', collection: 'ledger', doc: { _id: 'b', sku: 'A' } }], 1n);
    expect((await store.find('ledger', { where: { sku: 'A' } })).map((d) => d._id)).toEqual(['b']);
    await store.close();
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(READ_SCHEMA_VERSION);
    expect(check.prepare('SELECT token FROM leases WHERE name = ?').pluck().get('projector')).toBe(7);
    check.close();
    // Opened again: nothing is dropped any more.
    const again = new SqliteReadStore({ path });
    expect(await again.checkpoint('stock')).toBe(1n);
    await again.close();
  });

  it('given a writer with cached statements, when another connection adds an index on a new field, then the writer fills its columns', async () => {
    const path = join(dir, 'columns.sqlite');
    const writer = new SqliteReadStore({ path });
    await writer.commit('p', [{ op: 'put', collection: 'c', doc: { _id: 'a', k: 1 } }], 1n);
    const other = new SqliteReadStore({ path });
    await other.ensureIndexes([{ collection: 'c', fields: ['k'] }]);
    expect((await other.find('c', { where: { k: 1 } })).map((d) => d._id)).toEqual(['a']);
    await writer.commit('p', [{ op: 'put', collection: 'c', doc: { _id: 'b', k: 1 } }, { op: 'put', collection: 'c', doc: { _id: 'a', k: 2 } }], 2n);
    expect((await other.find('c', { where: { k: 1 } })).map((d) => d._id)).toEqual(['b']);
    expect(other.explain('c', { where: { k: 1 } }).join(' ')).toMatch(/USING INDEX ix_c__k/);
    await writer.close();
    await other.close();
  });
  it('given a bulk catch-up into an empty collection, when its indexes are deferred, then queries answer the same meanwhile and the indexes are built when it ends; a collection with rows keeps its own', async () => {
    const store = new SqliteReadStore({ path: join(dir, `deferred-${Date.now()}.sqlite`) });
    const indexes = [{ collection: 'rows', fields: ['k'] }, { collection: 'kept', fields: ['k'] }];
    await store.ensureIndexes(indexes);
    await store.commit('q', [{ op: 'put', collection: 'kept', doc: { _id: 'x', k: 1 } }], 1n);
    store.catchingUp(true);
    store.deferIndexes(['rows', 'kept']);
    expect(store.explain('rows', { where: { k: 1 } }).join(' ')).not.toMatch(/USING INDEX/);
    expect(store.explain('kept', { where: { k: 1 } }).join(' ')).toMatch(/USING INDEX ix_kept__k/);
    await store.commit('p', Array.from({ length: 100 }, (_, i) => ({ op: 'put' as const, collection: 'rows', doc: { _id: `r${i}`, k: i % 3 } })), 1n);
    await store.ensureIndexes(indexes); // a restart meanwhile would build them: not while deferred
    expect(store.explain('rows', { where: { k: 1 } }).join(' ')).not.toMatch(/USING INDEX/);
    const meanwhile = await store.find('rows', { where: { k: 1 }, orderBy: [['_id', 'asc']] });
    expect(meanwhile).toHaveLength(33);
    store.catchingUp(false);
    expect(store.explain('rows', { where: { k: 1 } }).join(' ')).toMatch(/USING INDEX ix_rows__k/);
    expect(await store.find('rows', { where: { k: 1 }, orderBy: [['_id', 'asc']] })).toEqual(meanwhile);
    await store.close();
  });

  it('given two connections, then the change mark moves with every commit of either and only then', async () => {
    const path = join(dir, 'mark.sqlite');
    const writer = new SqliteReadStore({ path, keepChanges: true });
    const reader = new SqliteReadStore({ path });
    const first = await reader.changeMark();
    expect(await reader.changeMark()).toBe(first); // nothing committed
    await writer.commitAll([{ projection: 'p', writes: [], position: 1n }, { projection: 'q', writes: [], position: 1n }]);
    const second = await reader.changeMark();
    expect(second).not.toBe(first);
    expect(await reader.changeMark()).toBe(second);
    await reader.commit('r', [], 1n); // its own commit: data_version stays, the mark moves
    expect(await reader.changeMark()).not.toBe(second);
    await Promise.all([writer.close(), reader.close()]);
  });
});
