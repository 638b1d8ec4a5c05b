import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStoreContract } from './read-store.contract';
import { SqliteReadStore } from './sqlite-read-store';

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
});
