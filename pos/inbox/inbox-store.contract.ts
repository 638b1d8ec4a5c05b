/** The one contract suite every InboxStore adapter passes. */
import { describe, expect, it } from 'vitest';
import type { InboxStore, NewInboxEntry } from './inbox-store';

const entry = (id: string, connectionId = 'c1', receivedAt = '2024-06-02T12:00:00.000Z'): NewInboxEntry => ({
  id, connectionId, receivedAt,
  delivery: { kind: 'shopify', topic: 'orders/create', deliveryId: `evt-${id}`, rawBody: '{"id": 5678901234567890123, "bad": ' },
  headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': `wh-${id}` },
});

export function inboxStoreContract(name: string, open: () => Promise<InboxStore>): void {
  describe(`InboxStore contract: ${name}`, () => {
    it('given a received delivery, then it is pending with its raw bytes and headers; a repeated id is ignored', async () => {
      const store = await open();
      await store.receive(entry('d1'));
      await store.receive({ ...entry('d1'), delivery: { kind: 'generic', rawBody: 'other' } });
      expect(await store.get('d1')).toEqual({ ...entry('d1'), status: 'pending', attempts: 0 });
      expect(await store.get('nope')).toBeUndefined();
      await store.close();
    });

    it('given an entry received without its own sync, then it is stored all the same; sync answers once it is durable', async () => {
      const store = await open();
      await store.receive(entry('lazy-1'), { durable: false });
      await Promise.all([store.receive(entry('lazy-2'), { durable: false }), store.receive(entry('full-1'))]);
      await store.sync('lazy-1');
      await store.sync('never-received'); // nothing to make durable: resolves all the same
      for (const id of ['lazy-1', 'lazy-2', 'full-1']) expect(await store.get(id)).toEqual({ ...entry(id), status: 'pending', attempts: 0 });
      expect((await store.listPending()).map((e) => e.id)).toEqual(['lazy-1', 'lazy-2', 'full-1']);
      await store.close();
    });

    it('given pending entries, when deferred then settled, then attempts count and a settled entry never changes', async () => {
      const store = await open();
      for (const id of ['d1', 'd2', 'd3']) await store.receive(entry(id));
      const deferred = await store.defer('d2', { at: '2024-06-02T12:00:01.000Z', nextAttemptAt: '2024-06-02T12:00:03.000Z', error: 'Square API timed out' });
      expect(deferred).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: '2024-06-02T12:00:03.000Z', lastError: 'Square API timed out' });
      expect((await store.listPending()).map((e) => e.id)).toEqual(['d1', 'd2', 'd3']);
      const done = await store.settle('d2', { status: 'done', at: '2024-06-02T12:00:04.000Z', outcome: { status: 'applied', position: '42', duplicate: false } });
      expect(done).toMatchObject({ status: 'done', attempts: 1, settledAt: '2024-06-02T12:00:04.000Z', outcome: { position: '42' } });
      expect(done!.nextAttemptAt).toBeUndefined();
      const again = await store.settle('d2', { status: 'quarantined', at: '2024-06-02T12:00:05.000Z', outcome: { status: 'quarantined', quarantineId: 'q', reason: 'unreadable' } });
      expect(again).toEqual(done);
      expect(await store.defer('d2', { at: 'x', nextAttemptAt: 'y', error: 'z' })).toEqual(done);
      await store.settle('d1', { status: 'quarantined', at: '2024-06-02T12:00:06.000Z', outcome: { status: 'quarantined', quarantineId: 'q1', reason: 'unreadable' } });
      expect((await store.listPending()).map((e) => e.id)).toEqual(['d3']);
      expect(await store.settle('nope', { status: 'done', at: 'x', outcome: { status: 'ignored', reason: 'r' } })).toBeUndefined();
      await store.close();
    });

    it('given receipts and settlements issued together, then each settlement answers its own entry and a repeat keeps the first', async () => {
      const store = await open();
      await Promise.all(['t1', 't2', 't3'].map((id) => store.receive(entry(id), { durable: false })));
      const applied = (position: string) => ({ status: 'done' as const, at: '2024-06-02T12:00:04.000Z', outcome: { status: 'applied' as const, position, duplicate: false } });
      const [one, two, late, repeat, unknown] = await Promise.all([
        store.settle('t1', applied('1')), store.settle('t2', applied('2')),
        store.receive(entry('t4'), { durable: false }).then(() => store.settle('t4', applied('4'))),
        store.settle('t1', applied('9')), store.settle('nope', applied('0')),
      ]);
      expect([one, two, late].map((e) => e?.outcome)).toEqual(['1', '2', '4'].map((position) => ({ status: 'applied', position, duplicate: false })));
      expect(repeat).toEqual(one);
      expect(unknown).toBeUndefined();
      expect((await store.listPending()).map((e) => e.id)).toEqual(['t3']);
      await store.close();
    });

    it('given deliveries received settled, then each is stored once as settled; one already pending is settled, one settled kept', async () => {
      const store = await open();
      const at = '2024-06-02T12:00:04.000Z';
      const applied = { status: 'done' as const, at, outcome: { status: 'applied' as const, position: '7', duplicate: false } };
      const test = { status: 'done' as const, at, outcome: { status: 'ignored' as const, reason: 'test notification', test: true } };
      await Promise.all([store.receiveSettled(entry('s1'), applied, { durable: false }), store.receiveSettled(entry('s2'), test), store.receive(entry('s3'))]);
      expect(await store.get('s1')).toEqual({ ...entry('s1'), status: 'done', attempts: 0, outcome: applied.outcome, settledAt: at });
      await store.receiveSettled(entry('s3'), applied);
      const quarantined = { status: 'quarantined' as const, at, outcome: { status: 'quarantined' as const, quarantineId: 'q', reason: 'unreadable' } };
      await store.receiveSettled(entry('s1'), quarantined);
      await store.sync('s1');
      expect((await store.get('s3'))?.outcome).toEqual(applied.outcome);
      expect((await store.get('s1'))?.outcome).toEqual(applied.outcome);
      expect(await store.listPending()).toEqual([]);
      expect(await store.stats('c1', [])).toMatchObject({ tests: 1, lastTestAt: '2024-06-02T12:00:00.000Z', pending: 0 });
      await store.close();
    });

    it('given deliveries of two connections, then stats count per connection: recent, pending, tests, last error', async () => {
      const store = await open();
      await store.receive(entry('a1', 'c1', '2024-06-02T10:00:00.000Z'));
      await store.receive(entry('a2', 'c1', '2024-06-02T11:30:00.000Z'));
      await store.receive(entry('a3', 'c1', '2024-06-02T11:45:00.000Z'));
      await store.receive(entry('b1', 'c2', '2024-06-02T11:50:00.000Z'));
      await store.settle('a1', { status: 'done', at: '2024-06-02T10:00:01.000Z', outcome: { status: 'ignored', reason: 'test notification', test: true } });
      await store.settle('a2', { status: 'quarantined', at: '2024-06-02T11:30:01.000Z', outcome: { status: 'quarantined', quarantineId: 'q', reason: 'unreadable' } });
      await store.defer('a3', { at: '2024-06-02T11:45:01.000Z', nextAttemptAt: '2024-06-02T11:45:05.000Z', error: 'Square API timed out' });
      expect(await store.stats('c1', ['2024-06-02T11:00:00.000Z', '2024-06-01T00:00:00.000Z'])).toEqual({
        lastReceivedAt: '2024-06-02T11:45:00.000Z', receivedSince: [2, 3], pending: 1, tests: 1, lastTestAt: '2024-06-02T10:00:00.000Z',
        lastError: { at: '2024-06-02T11:45:01.000Z', message: 'Square API timed out' },
      });
      expect(await store.stats('none', ['2024-06-02T11:00:00.000Z'])).toEqual({ receivedSince: [0], pending: 0, tests: 0 });
      expect((await store.listRecent('c1', 2)).map((e) => e.id)).toEqual(['a3', 'a2']);
      await store.close();
    });

    it('given old settled and pending entries, when pruned, then only settled ones go', async () => {
      const store = await open();
      await store.receive(entry('old-done', 'c1', '2024-01-01T00:00:00.000Z'));
      await store.receive(entry('old-pending', 'c1', '2024-01-01T00:00:00.000Z'));
      await store.receive(entry('new-done', 'c1', '2024-06-01T00:00:00.000Z'));
      for (const id of ['old-done', 'new-done']) await store.settle(id, { status: 'done', at: '2024-06-01T00:00:00.000Z', outcome: { status: 'ignored', reason: 'r' } });
      expect(await store.prune('2024-05-01T00:00:00.000Z')).toBe(1);
      expect(await store.get('old-done')).toBeUndefined();
      expect(await store.get('old-pending')).toBeDefined();
      expect(await store.get('new-done')).toBeDefined();
      await store.close();
    });
  });
}
