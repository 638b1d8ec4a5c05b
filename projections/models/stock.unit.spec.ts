import { describe, expect, it } from 'vitest';
import type { AlertDoc, DailySalesDoc, LedgerDoc, LotsDoc, StockDoc } from './collections';
import { projections } from './index';
import { ev, project, recorded, type Projected } from './testing/project';

const T = (hhmm: string, day = '2026-03-02') => `${day}T${hhmm}:00.000Z`;
const receive = (at: string, quantity: number, unitCost: number, locationId = 'A', sku = 'S1', receiptId = `r-${at}`) =>
  ev('StockReceived', { locationId, receiptId, lines: [{ sku, quantity, unitCost }] }, at);
const sell = (at: string, quantity: number, saleId: string, opts: { recordedAt?: string; locationId?: string } = {}) =>
  ev('StockSold', { locationId: opts.locationId ?? 'A', saleId, lines: [{ sku: 'S1', quantity }] }, at, opts.recordedAt ? { recordedAt: opts.recordedAt } : {});
const count = (at: string, counted: number, book: number) =>
  ev('StockCounted', { locationId: 'A', countId: `c-${at}`, lines: [{ sku: 'S1', countedQuantity: counted, bookQuantity: book, adjustment: counted - book }] }, at);

const stockOf = (r: Projected, loc = 'A', sku = 'S1') => r.doc('stock', `${loc}|${sku}`) as StockDoc;

/** The FIFO invariant: lot units minus owed units equal on-hand. */
function expectLotsMatch(r: Projected) {
  for (const s of r.docs<StockDoc>('stock')) {
    const lots = r.doc<LotsDoc>('stock_lots', s._id)!;
    expect(lots.lots.reduce((n, l) => n + l.quantity, 0) - lots.deficit).toBe(s.onHand);
  }
}

describe('stock projection', () => {
  it('given a receipt, when projected, then on-hand, FIFO value, a ledger row and a stock change appear', async () => {
    const r = await project(projections, recorded(receive(T('09:00'), 10, 250)));
    expect(stockOf(r)).toMatchObject({ locationId: 'A', sku: 'S1', onHand: 10, inTransitIn: 0, inTransitOut: 0, value: 2500, position: '1' });
    expect(r.docs<LedgerDoc>('ledger')).toEqual([
      expect.objectContaining({ _id: '00000000000000000001-00000', type: 'receipt', quantity: 10, balance: 10, actor: 'alice', source: 'api', effective: true, occurredAt: T('09:00') }),
    ]);
    expect(r.changes).toContainEqual({ kind: 'stock', locationId: 'A', sku: 'S1', onHand: 10, inTransitIn: 0, inTransitOut: 0, position: '1' });
  });

  it('given the same sale delivered twice, then it is applied once', async () => {
    const r = await project(projections, recorded(receive(T('09:00'), 10, 100), sell(T('10:00'), 3, 'sale-1'), sell(T('10:00'), 3, 'sale-1')));
    expect(stockOf(r).onHand).toBe(7);
    expect(r.docs<LedgerDoc>('ledger').filter((l) => l.type === 'sale')).toHaveLength(1);
    expect(r.docs<DailySalesDoc>('daily_sales')).toEqual([{ _id: 'S1|A|2026-03-02', sku: 'S1', locationId: 'A', date: '2026-03-02', sold: 3, returned: 0 }]);
    expect(r.changes.filter((c) => c.position === '3')).toEqual([]);
  });

  it('given sales beyond stock, then the balance goes negative with an alert, and a receipt clears it', async () => {
    const r = await project(projections, recorded(receive(T('09:00'), 2, 100), sell(T('10:00'), 5, 's1'), receive(T('11:00'), 10, 120)));
    expect(stockOf(r).onHand).toBe(7);
    // The 3 owed units are settled by the second receipt: 7 left at 120.
    expect(stockOf(r).value).toBe(7 * 120);
    const alerts = r.changes.filter((c) => c.kind === 'alert');
    expect(alerts.map((a) => [a.kind === 'alert' && a.alertType, a.kind === 'alert' && a.status, a.position])).toEqual([
      ['negative_stock', 'open', '2'], ['negative_stock', 'cleared', '3'],
    ]);
    expect(r.doc<AlertDoc>('alerts', 'negative_stock|A|S1')).toMatchObject({ status: 'cleared' });
    expectLotsMatch(r);
  });

  it('given a count, then a late sale that occurred before it does not change on-hand, and a later one does', async () => {
    const r = await project(projections, recorded(
      receive(T('09:00'), 10, 100),
      count(T('12:00'), 8, 10),
      sell(T('11:00'), 1, 'late', { recordedAt: T('14:00') }),
      sell(T('13:00'), 1, 'after'),
    ));
    expect(stockOf(r)).toMatchObject({ onHand: 7, lastCountAt: T('12:00'), value: 700 });
    expect(r.docs<LedgerDoc>('ledger').map((l) => [l.type, l.quantity, l.balance, l.effective])).toEqual([
      ['receipt', 10, 10, true], ['count', -2, 8, true], ['sale', -1, 8, false], ['sale', -1, 7, true],
    ]);
    expectLotsMatch(r);
  });

  it('given a transfer, then dispatch moves units into transit at both ends and receipt clears lines plus shortfall', async () => {
    const keys = { transferId: 't1', fromLocationId: 'A', toLocationId: 'B' };
    const r = await project(projections, recorded(
      receive(T('08:00', '2026-01-10'), 5, 100),
      receive(T('08:00', '2026-02-10'), 5, 200),
      ev('TransferCreated', { ...keys, lines: [{ sku: 'S1', quantity: 6 }] }, T('09:00')),
      ev('TransferDispatched', { ...keys, lines: [{ sku: 'S1', quantity: 6 }] }, T('10:00')),
      ev('TransferReceived', { ...keys, lines: [{ sku: 'S1', quantity: 5 }], shortfall: [{ sku: 'S1', quantity: 1 }], completed: true }, T('15:00')),
    ));
    const afterDispatch = r.changes.filter((c) => c.kind === 'stock' && c.position === '4');
    expect(afterDispatch).toEqual([
      { kind: 'stock', locationId: 'A', sku: 'S1', onHand: 4, inTransitIn: 0, inTransitOut: 6, position: '4' },
      { kind: 'stock', locationId: 'B', sku: 'S1', onHand: 0, inTransitIn: 6, inTransitOut: 0, position: '4' },
    ]);
    expect(stockOf(r, 'A')).toMatchObject({ onHand: 4, inTransitOut: 0, value: 4 * 200 });
    expect(stockOf(r, 'B')).toMatchObject({ onHand: 5, inTransitIn: 0, value: 5 * 100 });
    // The destination's lot keeps the origin's receipt date and cost (oldest 5 of the 6 sent).
    expect(r.doc<LotsDoc>('stock_lots', 'B|S1')!.lots).toEqual([{ receivedAt: T('08:00', '2026-01-10'), quantity: 5, unitCost: 100 }]);
    expect(r.docs('stock_transit')).toEqual([]);
    expect(r.docs<LedgerDoc>('ledger').filter((l) => l.transferId).map((l) => [l.locationId, l.type, l.quantity, l.balance, l.lost])).toEqual([
      ['A', 'transfer_out', -6, 4, undefined], ['B', 'transfer_in', 5, 5, undefined], ['B', 'transfer_shortfall', 0, 5, 1],
    ]);
    expectLotsMatch(r);
  });

  it('given reorder points (product-level, then per location), then low stock alerts open and clear', async () => {
    const r = await project(projections, recorded(
      ev('ProductRegistered', { sku: 'S1', name: 'Soap', unitCost: 100, reorderPoint: 5 }, T('08:00')),
      receive(T('09:00'), 10, 100),
      sell(T('10:00'), 5, 's1'),
      ev('ReorderPointSet', { locationId: 'A', sku: 'S1', reorderPoint: 2 }, T('11:00')),
    ));
    expect(stockOf(r).reorderPoint).toBe(2);
    const alerts = r.changes.filter((c) => c.kind === 'alert').map((c) => c.kind === 'alert' && [c.alertType, c.status, c.position]);
    expect(alerts).toEqual([['low_stock', 'open', '3'], ['low_stock', 'cleared', '4']]);
  });

  it('given a product reorder point registered after stock exists, then existing stock docs take it', async () => {
    const r = await project(projections, recorded(
      receive(T('09:00'), 3, 100),
      ev('ProductRegistered', { sku: 'S1', name: 'Soap', reorderPoint: 5 }, T('10:00')),
    ));
    expect(stockOf(r)).toMatchObject({ reorderPoint: 5, position: '2' });
    expect(r.doc<AlertDoc>('alerts', 'low_stock|A|S1')).toMatchObject({ status: 'open', position: '2' });
    const later = await project(projections, recorded(
      receive(T('09:00'), 3, 100),
      ev('ProductRegistered', { sku: 'S1', name: 'Soap', reorderPoint: 5 }, T('10:00')),
      sell(T('11:00'), 1, 's1'),
    ));
    // Still open: the figures follow the balance, but no new alert is announced.
    expect(later.doc<AlertDoc>('alerts', 'low_stock|A|S1')).toMatchObject({ status: 'open', position: '2', details: { onHand: 2, reorderPoint: 5 } });
    expect(later.changes.filter((c) => c.kind === 'alert')).toHaveLength(1);
  });

  it('given a POS discrepancy, then an alert carries both numbers until a count settles it', async () => {
    const r = await project(projections, recorded(
      receive(T('09:00'), 10, 100),
      ev('PosDiscrepancyRecorded', { locationId: 'A', sku: 'S1', connectionId: 'shop', posEventId: 'e1', posQuantity: 8, ourQuantity: 10, difference: -2 }, T('10:00')),
    ));
    expect(r.doc<AlertDoc>('alerts', 'pos_discrepancy|A|S1')).toMatchObject({
      status: 'open', details: { posQuantity: 8, ourQuantity: 10, difference: -2, connectionId: 'shop', posEventId: 'e1' },
    });
    const settled = await project(projections, recorded(
      receive(T('09:00'), 10, 100),
      ev('PosDiscrepancyRecorded', { locationId: 'A', sku: 'S1', connectionId: 'shop', posEventId: 'e1', posQuantity: 8, ourQuantity: 10, difference: -2 }, T('10:00')),
      count(T('11:00'), 8, 10),
    ));
    expect(settled.doc<AlertDoc>('alerts', 'pos_discrepancy|A|S1')).toMatchObject({ status: 'cleared', position: '3' });
  });

  it('given returns, then units come back at the cost of the latest consumption and net off COGS', async () => {
    const r = await project(projections, recorded(
      receive(T('08:00'), 2, 100),
      receive(T('09:00'), 2, 300),
      sell(T('10:00'), 3, 's1'),
      ev('StockReturned', { locationId: 'A', returnId: 'ret-1', lines: [{ sku: 'S1', quantity: 1 }] }, T('11:00')),
      ev('StockReturned', { locationId: 'A', returnId: 'ret-1', lines: [{ sku: 'S1', quantity: 1 }] }, T('11:00')),
    ));
    expect(stockOf(r)).toMatchObject({ onHand: 2, value: 300 + 300 });
    // Sold 100+100+300 = 500; returned one at 300.
    expect(r.doc('inventory_daily', 'A|S1|2026-03-02')).toMatchObject({ cogs: 200, closingValue: 600 });
    expect(r.doc<DailySalesDoc>('daily_sales', 'S1|A|2026-03-02')).toMatchObject({ sold: 3, returned: 1 });
  });

  it('ignores event types it does not know', async () => {
    const events = recorded(receive(T('09:00'), 1, 1));
    const r = await project(projections, [...events, { ...events[0]!, position: 2n, type: 'SomeoneElsesEventHappened', data: {} }]);
    expect(r.changes).toHaveLength(1);
  });
});
