/** The one contract suite every CatalogStore adapter passes. */
import { describe, expect, it } from 'vitest';
import type { CatalogStore, ImportJob } from './catalog-store';
import { productPushJobId, type ProductPushJob } from '../push/product-push-job';

const push = (sku: string, position: string, minute: number, connectionId = 'shop'): ProductPushJob => {
  const at = `2024-06-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  return { id: productPushJobId(connectionId, sku), connectionId, sku, position, status: 'pending', attempts: 0, nextAttemptAt: at, createdAt: at, updatedAt: at };
};

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

    it('given product push jobs, then the newest change wins, due ones come soonest first and updates stick', async () => {
      const store = await open();
      await store.upsertProductPush(push('A', '5', 1));
      await store.upsertProductPush(push('B', '6', 3));
      await store.upsertProductPush(push('C', '7', 2, 'sq'));
      const id = productPushJobId('shop', 'A');
      const failed = await store.updateProductPush(id, { status: 'failed', attempts: 1, result: 'conflict', observed: { title: 'Theirs', price: 120, posUpdatedAt: '2024-06-01T09:00:00.000Z' }, lastError: 'changed in the POS' });
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, observed: { title: 'Theirs', price: 120 } });
      expect((await store.dueProductPushes('2024-06-01T10:59:00.000Z', 10)).map((j) => j.id)).toEqual([productPushJobId('sq', 'C'), productPushJobId('shop', 'B')]);
      expect(await store.upsertProductPush(push('A', '4', 9))).toEqual(failed); // an older change: nothing
      const newer = await store.upsertProductPush(push('A', '9', 4));
      expect(newer).toMatchObject({ position: '9', status: 'pending', attempts: 0 });
      expect(newer).not.toHaveProperty('result');
      expect(newer).not.toHaveProperty('observed');
      expect(await store.getProductPush(id)).toEqual(newer);
      expect((await store.listProductPushes({ connectionId: 'shop' })).map((j) => j.sku)).toEqual(['A', 'B']);
      expect((await store.listProductPushes({ status: 'pending', limit: 1 })).map((j) => j.sku)).toEqual(['A']);
      expect(await store.updateProductPush('nope', { status: 'dead' })).toBeUndefined();
      expect(await store.getCursor('product-push|shop')).toBeUndefined();
      await store.setCursor('product-push|shop', '12');
      await store.setCursor('product-push|shop', '15');
      expect(await store.getCursor('product-push|shop')).toBe('15');
      await store.close();
    });
  });
}
