/** The one contract suite every CatalogStore adapter passes. */
import { describe, expect, it } from 'vitest';
import type { CatalogStore, ImportJob } from './catalog-store';

const job = (id: string, connectionId: string, startedAt: string, status: ImportJob['status'] = 'running'): ImportJob => ({
  id, connectionId, scope: ['locations', 'catalog'], asOf: startedAt, createLocations: false, status, phase: 'catalog', cursor: 'abc',
  progress: { done: 250, total: 2000 }, counts: { 'catalog.registered': 250 }, problems: [{ item: '1', reason: 'no SKU' }], startedAt, startedBy: 'admin',
});

export function catalogStoreContract(name: string, open: () => Promise<CatalogStore>): void {
  describe(`CatalogStore contract: ${name}`, () => {
    it('given a stored job, when it is stored again with a new cursor, then the latest is read back whole', async () => {
      const store = await open();
      await store.putImport(job('j1', 'shop', '2024-06-01T00:00:00.000Z'));
      const next = { ...job('j1', 'shop', '2024-06-01T00:00:00.000Z'), cursor: 'def', progress: { done: 500, total: 2000 } };
      await store.putImport(next);
      expect(await store.getImport('j1')).toEqual(next);
      expect(await store.getImport('nope')).toBeUndefined();
      await store.close();
    });

    it('given jobs of two connections, then they are listed newest first and filtered by connection and status', async () => {
      const store = await open();
      await store.putImport(job('a', 'shop', '2024-06-01T00:00:00.000Z', 'done'));
      await store.putImport(job('b', 'shop', '2024-06-02T00:00:00.000Z'));
      await store.putImport(job('c', 'sq', '2024-06-03T00:00:00.000Z'));
      expect((await store.listImports()).map((j) => j.id)).toEqual(['c', 'b', 'a']);
      expect((await store.listImports({ connectionId: 'shop' })).map((j) => j.id)).toEqual(['b', 'a']);
      expect((await store.listImports({ status: 'running' })).map((j) => j.id)).toEqual(['c', 'b']);
      await store.close();
    });

    it('given settings of a connection, then they are replaced and read back', async () => {
      const store = await open();
      expect(await store.getSettings('shop')).toBeUndefined();
      await store.putSettings('shop', { policy: { names: 'pos', prices: 'pos' } });
      await store.putSettings('shop', { policy: { names: 'stocktide', prices: 'pos' }, squareCatalogTime: '2024-06-01T00:00:00.000Z' });
      expect(await store.getSettings('shop')).toEqual({ policy: { names: 'stocktide', prices: 'pos' }, squareCatalogTime: '2024-06-01T00:00:00.000Z' });
      await store.close();
    });
  });
}
