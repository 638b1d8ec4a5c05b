import { describe, expect, it } from 'vitest';
import { deliveriesTo, receiptRequest, receiptRows, type PurchaseOrderDoc, type TransferDoc } from './receiving';

const store = 'store-a';
const transfer = (over: Partial<TransferDoc> = {}): TransferDoc => ({
  id: 't1', number: 12, fromLocationId: 'wh', toLocationId: store, status: 'dispatched',
  lines: [{ sku: 'MUG', quantity: 5, dispatched: 4, received: 1 }], ...over,
});
const order = (over: Partial<PurchaseOrderDoc> = {}): PurchaseOrderDoc => ({
  id: 'po-7', status: 'partially_received', supplierId: 'acme', supplierName: 'Acme', locationId: store,
  lines: [
    { sku: 'MUG', ordered: 10, received: 4, closed: 0, outstanding: 6 },
    { sku: 'TEE', ordered: 3, received: 3, closed: 0, outstanding: 0 },
    { sku: 'CAP', ordered: 2, received: 0, closed: 0, outstanding: 2 },
  ],
  ...over,
});
const scanned = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('what a store can receive', () => {
  it('given transfers and orders of several stores and states, lists the open ones delivered here: transfers, then orders', () => {
    const list = deliveriesTo(store, [
      transfer(), transfer({ id: 't2', status: 'received' }), transfer({ id: 't3', toLocationId: 'elsewhere' }),
    ], [
      order(), order({ id: 'po-8', status: 'draft' }), order({ id: 'po-9', status: 'received' }), order({ id: 'po-10', locationId: 'elsewhere' }),
      order({ id: 'po-11', status: 'sent' }),
    ]);
    expect(list.map((d) => [d.kind, d.id])).toEqual([['transfer', 't1'], ['purchase-order', 'po-7'], ['purchase-order', 'po-11']]);
    expect(list[1]!.label).toBe('Purchase order po-7 from Acme · partially received');
  });

  it('expects what is still outstanding: a transfer what was dispatched less what arrived, an order its open lines only', () => {
    const [t, po] = deliveriesTo(store, [transfer()], [order()]);
    expect(t!.lines).toEqual([{ sku: 'MUG', expected: 3 }]);
    expect(po!.lines).toEqual([{ sku: 'MUG', expected: 6 }, { sku: 'CAP', expected: 2 }]);
  });
});

describe('a receipt by scan', () => {
  const po = deliveriesTo(store, [], [order()])[0]!;

  it('given scans, when compared with the order, then over and short lines are flagged', () => {
    expect(receiptRows(po, scanned({ MUG: 7, CAP: 2 }))).toEqual([
      { sku: 'MUG', expected: 6, scanned: 7, flag: 'over' },
      { sku: 'CAP', expected: 2, scanned: 2, flag: 'ok' },
    ]);
    expect(receiptRows(po, scanned({ MUG: 1 })).map((r) => r.flag)).toEqual(['short', 'short']);
  });

  it('a partial receipt of an order sends only the scanned lines, dated on the phone, keyed by the receipt id, closing nothing', () => {
    const request = receiptRequest(po, receiptRows(po, scanned({ MUG: 2 })), { receiptId: 'r-1', at: '2026-12-03T07:00:00.000Z', final: false });
    expect(request).toEqual({
      path: '/api/purchase-orders/po-7/receive', units: 2, label: 'Receipt of purchase order po-7 (2 units)',
      body: { lines: [{ sku: 'MUG', quantity: 2 }], receiptId: 'r-1', receivedAt: '2026-12-03T07:00:00.000Z' },
    });
  });

  it('an over line the person confirmed allows the over-receipt; "supplier sends no more" closes the rest short', () => {
    const request = receiptRequest(po, receiptRows(po, scanned({ MUG: 7 })), { receiptId: 'r-2', at: '2026-12-03T07:00:00.000Z', final: true });
    expect(request?.body).toMatchObject({ lines: [{ sku: 'MUG', quantity: 7 }], allowOver: true, closeShort: true });
  });

  it('a transfer receipt carries its receipt id and whether it is the last delivery', () => {
    const t = deliveriesTo(store, [transfer()], [])[0]!;
    expect(receiptRequest(t, receiptRows(t, scanned({ MUG: 1 })), { receiptId: 'r-3', at: '2026-12-03T07:00:00.000Z', final: false })).toEqual({
      path: '/api/transfers/t1/receive', units: 1, label: 'Receipt of transfer 12 (1 units)',
      body: { lines: [{ sku: 'MUG', quantity: 1 }], final: false, receiptId: 'r-3' },
    });
  });

  it('nothing scanned is no receipt', () => {
    expect(receiptRequest(po, receiptRows(po, scanned({})), { receiptId: 'r-4', at: '2026-12-03T07:00:00.000Z', final: true })).toBeUndefined();
  });
});
