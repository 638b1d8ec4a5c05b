import { describe, expect, it } from 'vitest';
import { ev, project, recorded, type EventSpec } from '../projections/models/testing/project';
import { stockProjection } from '../projections/models/stock';
import type { StockDoc } from '../projections/models/collections';
import { MemoryReadStore } from '../projections/readstore/memory-read-store';
import { applyBatch } from '../projections/runner/apply-batch';
import { OUTBOX, type OutboxDoc } from './notifications';
import { outboxProjection } from './outbox-projection';

const T = (h: number) => `2026-03-01T${String(h).padStart(2, '0')}:00:00.000Z`;
const receipt = (id: string, sku: string, quantity: number, at: string, locationId = 'S1'): EventSpec =>
  ev('StockReceived', { locationId, receiptId: id, lines: [{ sku, quantity, unitCost: 100 }] }, at);
const sale = (id: string, sku: string, quantity: number, at: string, locationId = 'S1'): EventSpec =>
  ev('StockSold', { locationId, saleId: id, lines: [{ sku, quantity }] }, at);

const outbox = async (events: ReturnType<typeof recorded>) => (await project([outboxProjection], events)).docs<OutboxDoc>(OUTBOX.notifications);
const brief = (docs: OutboxDoc[]) => docs.map((d) => [d.kind, d.payload['locationId'] ?? d.payload['transferId'], d.payload['onHand']]);

describe('outbox projection', () => {
  it('given receipts and sales, then each touched (location, SKU) is announced with its on-hand after the event', async () => {
    const docs = await outbox(recorded(
      ev('ProductRegistered', { sku: 'A', name: 'Apple' }, T(1)),
      ev('StockReceived', { locationId: 'S1', receiptId: 'r1', lines: [{ sku: 'A', quantity: 10, unitCost: 5 }, { sku: 'B', quantity: 3, unitCost: 5 }] }, T(2)),
      sale('s1', 'A', 4, T(3)),
    ));
    expect(docs.map((d) => d._id)).toEqual(['00000000000000000002:00000', '00000000000000000002:00001', '00000000000000000003:00000']);
    expect(docs[0]).toEqual({
      _id: '00000000000000000002:00000', kind: 'stock.changed', position: '00000000000000000002',
      occurredAt: T(2), recordedAt: T(2), payload: { locationId: 'S1', sku: 'A', onHand: 10, previousOnHand: 0 },
    });
    expect(docs[2]!.payload).toEqual({ locationId: 'S1', sku: 'A', onHand: 6, previousOnHand: 10 });
  });

  it('given a store put in shadow and back, then what happened there meanwhile is stamped shadow, and nothing elsewhere', async () => {
    const mode = (locationId: string, m: 'shadow' | 'live', previous: 'shadow' | 'live', at: string): EventSpec =>
      ev('LocationModeChanged', { locationId, mode: m, previousMode: previous }, at);
    const docs = await outbox(recorded(
      receipt('r1', 'A', 5, T(1)), mode('S1', 'shadow', 'live', T(2)), sale('s1', 'A', 1, T(3)), receipt('r2', 'A', 5, T(4), 'S2'),
      mode('S1', 'live', 'shadow', T(5)), sale('s2', 'A', 1, T(6)),
    ));
    expect(docs.map((d) => [d.position.replace(/^0+/, ''), d.payload['locationId'], d.shadow ?? false])).toEqual([
      ['1', 'S1', false], ['3', 'S1', true], ['4', 'S2', false], ['6', 'S1', false],
    ]);
  });

  it('given the same sale recorded twice, then it is announced once', async () => {
    const docs = await outbox(recorded(receipt('r1', 'A', 5, T(1)), sale('s1', 'A', 2, T(2)), sale('s1', 'A', 2, T(2))));
    expect(brief(docs)).toEqual([['stock.changed', 'S1', 5], ['stock.changed', 'S1', 3]]);
  });

  it('given on-hand falling to the reorder point, then stock.low is announced once per crossing', async () => {
    const docs = await outbox(recorded(
      ev('ProductRegistered', { sku: 'A', name: 'Apple', reorderPoint: 3 }, T(1)),
      receipt('r1', 'A', 5, T(2)),
      sale('s1', 'A', 2, T(3)), // 3: low
      sale('s2', 'A', 1, T(4)), // 2: still low, no second stock.low
      receipt('r2', 'A', 10, T(5)), // 12: recovered
      sale('s3', 'A', 9, T(6)), // 3: low again
    ));
    expect(docs.filter((d) => d.kind === 'stock.low').map((d) => [d.position, d.payload])).toEqual([
      ['00000000000000000003', { locationId: 'S1', sku: 'A', onHand: 3, reorderPoint: 3 }],
      ['00000000000000000006', { locationId: 'S1', sku: 'A', onHand: 3, reorderPoint: 3 }],
    ]);
  });

  it('given a location reorder point raised above on-hand, then stock.low is announced without a movement', async () => {
    const docs = await outbox(recorded(receipt('r1', 'A', 5, T(1)), ev('ReorderPointSet', { locationId: 'S1', sku: 'A', reorderPoint: 8 }, T(2))));
    expect(docs.at(-1)).toMatchObject({ kind: 'stock.low', payload: { onHand: 5, reorderPoint: 8 } });
  });

  it('given a transfer received and a POS discrepancy, then both are announced with their data', async () => {
    const docs = await outbox(recorded(
      receipt('r1', 'A', 5, T(1), 'W1'),
      ev('TransferDispatched', { transferId: 't1', fromLocationId: 'W1', toLocationId: 'S1', lines: [{ sku: 'A', quantity: 4 }] }, T(2)),
      ev('TransferReceived', { transferId: 't1', fromLocationId: 'W1', toLocationId: 'S1', lines: [{ sku: 'A', quantity: 3 }], shortfall: [{ sku: 'A', quantity: 1 }], completed: true }, T(3)),
      ev('PosDiscrepancyRecorded', { locationId: 'S1', sku: 'A', connectionId: 'shop', posEventId: 'e1', posQuantity: 7, ourQuantity: 3, difference: 4 }, T(4)),
    ));
    expect(brief(docs)).toEqual([
      ['stock.changed', 'W1', 5], ['stock.changed', 'W1', 1], ['stock.changed', 'S1', 3], ['transfer.received', 't1', undefined], ['pos.discrepancy', 'S1', undefined],
    ]);
    expect(docs[3]!.payload).toEqual({ transferId: 't1', fromLocationId: 'W1', toLocationId: 'S1', lines: [{ sku: 'A', quantity: 3 }], shortfall: [{ sku: 'A', quantity: 1 }], completed: true });
    expect(docs[4]!.payload).toEqual({ locationId: 'S1', sku: 'A', connectionId: 'shop', posEventId: 'e1', posQuantity: 7, ourQuantity: 3, difference: 4 });
  });

  it('given a count and a late sale that happened before it, then balances agree with the stock model', async () => {
    const events = recorded(
      receipt('r1', 'A', 10, T(1)),
      ev('StockCounted', { locationId: 'S1', countId: 'c1', lines: [{ sku: 'A', countedQuantity: 7, bookQuantity: 10, adjustment: -3 }] }, T(5)),
      sale('late', 'A', 2, T(4)), // the count already saw it
      sale('s2', 'A', 1, T(6)),
      ev('StockAdjusted', { locationId: 'S1', adjustmentId: 'a1', sku: 'A', quantity: -2, reason: 'damaged' }, T(7)),
    );
    const result = await project([stockProjection, outboxProjection], events);
    const changed = result.docs<OutboxDoc>(OUTBOX.notifications).filter((d) => d.kind === 'stock.changed');
    expect(changed.map((d) => d.payload['onHand'])).toEqual([10, 7, 7, 6, 4]);
    expect(result.doc<StockDoc>('stock', 'S1|A')!.onHand).toBe(4);
  });

  it('given the same events projected twice, then the documents are identical', async () => {
    const events = recorded(
      ev('ProductRegistered', { sku: 'A', name: 'Apple', reorderPoint: 2 }, T(1)),
      receipt('r1', 'A', 5, T(2)), sale('s1', 'A', 4, T(3)), sale('s1', 'A', 4, T(3)),
      ev('ProductRegistered', { sku: 'A', name: 'Apple', reorderPoint: 0 }, T(4)),
    );
    const first = await project([outboxProjection], events);
    const second = await project([outboxProjection], events);
    for (const collection of outboxProjection.collections) expect(second.docs(collection)).toEqual(first.docs(collection));
    expect(first.docs(OUTBOX.notifications).length).toBe(3);
  });

  it('given the same events committed in one batch or one by one (a rebuild vs live), then the stored documents are identical', async () => {
    const events = recorded(
      ev('ProductRegistered', { sku: 'A', name: 'Apple', reorderPoint: 4 }, T(1)),
      receipt('r1', 'A', 5, T(2)), sale('s1', 'A', 2, T(3)), sale('s1', 'A', 2, T(3)), receipt('r2', 'B', 1, T(4)),
      ev('ReorderPointSet', { locationId: 'S1', sku: 'B', reorderPoint: 1 }, T(5)),
    );
    const whole = new MemoryReadStore();
    await applyBatch(outboxProjection, whole, 0n, events);
    const single = new MemoryReadStore();
    for (const event of events) await applyBatch(outboxProjection, single, event.position - 1n, [event]);
    for (const collection of outboxProjection.collections) expect(await single.find(collection)).toEqual(await whole.find(collection));
    expect((await whole.find<OutboxDoc>(OUTBOX.notifications)).map((d) => d.kind))
      .toEqual(['stock.changed', 'stock.changed', 'stock.low', 'stock.changed', 'stock.low']);
  });
});
