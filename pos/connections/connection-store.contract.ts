/** The one contract suite every ConnectionStore adapter passes. */
import { describe, expect, it } from 'vitest';
import { ConnectionExists, type ConnectionStore, type NewQuarantineItem, type PosConnection } from './connection-store';

const connection = (id: string): PosConnection => ({
  id, kind: 'shopify', secret: 'top-secret-1', locationMap: { '655441491': 'store-1' }, skuMap: {},
  disabled: false, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z',
});
const item = (id: string, posEventId: string): NewQuarantineItem => ({
  id, connectionId: 'c1', posEventId, reason: 'unknown-sku', detail: 'sku X is unknown',
  delivery: { kind: 'generic', rawBody: '{"a":1}' }, receivedAt: '2024-01-01T00:00:00.000Z',
});

export function connectionStoreContract(name: string, open: () => Promise<ConnectionStore>): void {
  describe(`ConnectionStore contract: ${name}`, () => {
    it('given a created connection, when read back, then it is returned whole and a second create fails', async () => {
      const store = await open();
      await store.createConnection(connection('c1'));
      expect(await store.getConnection('c1')).toEqual(connection('c1'));
      await expect(store.createConnection(connection('c1'))).rejects.toBeInstanceOf(ConnectionExists);
      expect((await store.listConnections()).map((c) => c.id)).toEqual(['c1']);
      expect(await store.getConnection('nope')).toBeUndefined();
      await store.close();
    });

    it('given a connection, when replaced, then the new version is read; an unknown id answers undefined', async () => {
      const store = await open();
      await store.createConnection(connection('c1'));
      const next = { ...connection('c1'), secret: 'rotated-secret', disabled: true };
      expect(await store.replaceConnection(next)).toEqual(next);
      expect(await store.getConnection('c1')).toEqual(next);
      expect(await store.replaceConnection(connection('c2'))).toBeUndefined();
      await store.close();
    });

    it('given the same POS event quarantined twice, then one item exists and both answers name it', async () => {
      const store = await open();
      const [a, b] = await Promise.all([store.putQuarantine(item('q1', 'e1')), store.putQuarantine(item('q2', 'e1'))]);
      expect(a.id).toBe(b.id);
      await store.putQuarantine(item('q3', 'e2'));
      const open1 = await store.listQuarantine({ status: 'open' });
      expect(open1.map((q) => q.posEventId)).toEqual(['e1', 'e2']);
      expect(open1[0]).toMatchObject({ status: 'open', attempts: 0, delivery: { rawBody: '{"a":1}' } });
      await store.close();
    });

    it('given an item, when a retry fails then succeeds, then it is released and kept as a record', async () => {
      const store = await open();
      await store.putQuarantine(item('q1', 'e1'));
      const failed = await store.resolveQuarantine('q1', { status: 'open', at: '2024-01-02T00:00:00.000Z', reason: 'unmapped-location', detail: 'x' });
      expect(failed).toMatchObject({ status: 'open', attempts: 1, reason: 'unmapped-location' });
      const released = await store.resolveQuarantine('q1', { status: 'released', at: '2024-01-03T00:00:00.000Z', position: '42', as: 'applied' });
      expect(released).toMatchObject({ status: 'released', attempts: 2, releasedPosition: '42', releasedAs: 'applied' });
      const again = await store.resolveQuarantine('q1', { status: 'open', at: '2024-01-04T00:00:00.000Z', reason: 'unknown-sku', detail: 'y' });
      expect(again).toMatchObject({ status: 'released', attempts: 2 });
      expect(await store.listQuarantine({ status: 'open' })).toEqual([]);
      expect(await store.listQuarantine({ status: 'released' })).toHaveLength(1);
      expect(await store.resolveQuarantine('nope', { status: 'released', at: 'x', as: 'ignored' })).toBeUndefined();
      await store.close();
    });

    it('given a processed observation, then the first position recorded wins', async () => {
      const store = await open();
      expect(await store.getProcessed('c1', 'e1')).toBeUndefined();
      await store.putProcessed('c1', 'e1', '7', '2024-01-01T00:00:00.000Z');
      await store.putProcessed('c1', 'e1', '9', '2024-01-01T00:00:00.000Z');
      expect(await store.getProcessed('c1', 'e1')).toBe('7');
      expect(await store.getProcessed('c2', 'e1')).toBeUndefined();
      await store.close();
    });
  });
}
