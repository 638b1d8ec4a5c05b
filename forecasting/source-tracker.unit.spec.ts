/**
 * The series source tracker (series.ts): a series is read whole once, then only the days the
 * ledger shows a sale or return for are read again. Given a tracked series, when the stock
 * projection commits ledger rows and daily sales docs, then the next source has them, and its
 * version changes exactly when a sale or return (or an earlier first movement) was seen.
 */
import { describe, expect, it } from 'vitest';
import { COLLECTIONS, type DailySalesDoc, type LedgerDoc } from '../projections/models/collections';
import { dailySalesKey } from '../projections/models/daily-sales';
import { ledgerKey } from '../projections/models/keys';
import { stockProjection } from '../projections/models/stock';
import { MemoryReadStore } from '../projections/readstore/memory-read-store';
import type { DocWrite } from '../projections/readstore/port';
import { createSourceTracker } from './series';

const row = (position: bigint, type: LedgerDoc['type'], occurredAt: string, sku = 'X', locationId = 'shop'): DocWrite => ({
  op: 'put', collection: COLLECTIONS.ledger,
  doc: { _id: ledgerKey(position, 0), position: String(position), occurredAt, recordedAt: occurredAt, type, locationId, sku, quantity: -1, balance: 0, actor: 't', source: 't', effective: true },
});
const sales = (date: string, sold: number, sku = 'X', locationId = 'shop'): DocWrite => ({
  op: 'put', collection: COLLECTIONS.dailySales,
  doc: { _id: dailySalesKey(sku, locationId, date), sku, locationId, date, sold, returned: 0 } satisfies DailySalesDoc,
});
const commit = (store: MemoryReadStore, position: bigint, writes: DocWrite[]) => store.commit(stockProjection.name, writes, position);

describe('the series source tracker', () => {
  it('given a tracked series, when sales of today and of two weeks ago are committed, then only those days change and the version moves', async () => {
    const store = new MemoryReadStore();
    await commit(store, 1n, [row(1n, 'receipt', '2031-03-01T08:00:00.000Z'), row(2n, 'sale', '2031-03-02T12:00:00.000Z'), sales('2031-03-02', 4)]);
    const tracker = createSourceTracker(store, 100);
    await tracker.refresh();
    const first = await tracker.sourceOf('shop', 'X', '2031-03-20');
    expect(first).toMatchObject({ firstMoved: '2031-03-01', docs: [{ date: '2031-03-02', sold: 4, returned: 0 }] });

    // a receipt and a count move no demand: same version, nothing read again
    await commit(store, 3n, [row(3n, 'receipt', '2031-03-20T07:00:00.000Z'), row(4n, 'count', '2031-03-20T20:00:00.000Z')]);
    await tracker.refresh();
    expect(tracker.versionOf('shop', 'X')).toBe(first.version);

    // today's sale, a late one of two weeks ago, and a sale of another series
    await commit(store, 5n, [
      row(5n, 'sale', '2031-03-20T12:00:00.000Z'), sales('2031-03-20', 2),
      row(6n, 'sale', '2031-03-06T12:00:00.000Z'), sales('2031-03-06', 7),
      row(7n, 'sale', '2031-03-20T12:00:00.000Z', 'Y'), sales('2031-03-20', 9, 'Y'),
    ]);
    await tracker.refresh();
    expect(tracker.versionOf('shop', 'X')).not.toBe(first.version);
    expect(tracker.versionOf('shop', 'Y')).toBe(0); // never asked about: not tracked
    const later = await tracker.sourceOf('shop', 'X', '2031-03-20');
    expect(later.version).toBe(tracker.versionOf('shop', 'X'));
    expect(later.docs).toEqual([
      { date: '2031-03-02', sold: 4, returned: 0 }, { date: '2031-03-06', sold: 7, returned: 0 }, { date: '2031-03-20', sold: 2, returned: 0 },
    ]);

    // a movement dated before the first one moves the series' start
    await commit(store, 8n, [row(8n, 'adjustment', '2031-02-20T09:00:00.000Z')]);
    await tracker.refresh();
    expect(tracker.versionOf('shop', 'X')).not.toBe(later.version);
    expect((await tracker.sourceOf('shop', 'X', '2031-03-20')).firstMoved).toBe('2031-02-20');
  });
});
