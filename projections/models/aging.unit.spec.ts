import { describe, expect, it } from 'vitest';
import { agingReport, bucketOf } from './aging';
import { projections } from './index';
import { ev, project, recorded } from './testing/project';

const morning = (day: string): string => `${day}T08:00:00.000Z`;
const receive = (day: string, quantity: number, unitCost: number, locationId = 'A') =>
  ev('StockReceived', { locationId, receiptId: `r-${day}-${locationId}`, lines: [{ sku: 'S1', quantity, unitCost }] }, morning(day));

describe('aging', () => {
  it('puts whole days 0-30, 31-60, 61-90 and over 90 in their buckets', () => {
    const asOf = new Date('2026-03-31T08:00:00Z');
    expect(bucketOf('2026-03-01T08:00:00Z', asOf)).toBe('0-30');
    expect(bucketOf('2026-02-28T08:00:00Z', asOf)).toBe('31-60');
    expect(bucketOf('2026-01-30T08:00:00Z', asOf)).toBe('31-60');
    expect(bucketOf('2026-01-29T08:00:00Z', asOf)).toBe('61-90');
    expect(bucketOf('2025-12-31T08:00:00Z', asOf)).toBe('61-90');
    expect(bucketOf('2025-12-30T08:00:00Z', asOf)).toBe('90+');
  });

  it('given receipts of several ages and a sale, then the remaining lots are bucketed first in, first out (hand-computed)', async () => {
    const r = await project(projections, recorded(
      receive('2025-10-01', 2, 500),
      receive('2025-12-15', 2, 300),
      receive('2026-01-20', 3, 200),
      receive('2026-02-25', 4, 100),
      receive('2026-02-25', 7, 100, 'B'),
      ev('StockSold', { locationId: 'A', saleId: 's1', lines: [{ sku: 'S1', quantity: 1 }] }, '2026-03-01T12:00:00.000Z'),
    ));
    const store = await r.store();
    const report = await agingReport(store, { asOf: new Date('2026-03-02T12:00:00Z'), scope: 'all', locationId: 'A' });
    // Ages at 2026-03-02: 152, 77, 41 and 5 days; the sale took one of the oldest units.
    expect(report.buckets).toEqual([
      { bucket: '0-30', quantity: 4, value: 400 },
      { bucket: '31-60', quantity: 3, value: 600 },
      { bucket: '61-90', quantity: 2, value: 600 },
      { bucket: '90+', quantity: 1, value: 500 },
    ]);
    expect(report.items).toHaveLength(1);
    const scoped = await agingReport(store, { asOf: new Date('2026-03-02T12:00:00Z'), scope: ['B'] });
    expect(scoped.buckets[0]).toEqual({ bucket: '0-30', quantity: 7, value: 700 });
    expect(scoped.items.map((i) => i.locationId)).toEqual(['B']);
  });
});
