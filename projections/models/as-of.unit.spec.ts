import { describe, expect, it } from 'vitest';
import { balanceAsOf, stockAsOf } from './as-of';
import { projections } from './index';
import { ev, project, recorded } from './testing/project';

const T = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z`;
const receive = (at: string, quantity: number, locationId = 'A') =>
  ev('StockReceived', { locationId, receiptId: `r-${at}-${locationId}`, lines: [{ sku: 'S1', quantity, unitCost: 100 }] }, at);
const sell = (at: string, quantity: number, saleId: string, recordedAt?: string) =>
  ev('StockSold', { locationId: 'A', saleId, lines: [{ sku: 'S1', quantity }] }, at, recordedAt ? { recordedAt } : {});
const count = (at: string, counted: number, book: number) =>
  ev('StockCounted', { locationId: 'A', countId: `c-${at}`, lines: [{ sku: 'S1', countedQuantity: counted, bookQuantity: book, adjustment: counted - book }] }, at);

describe('balances as of an instant', () => {
  it('given an offline till sale recorded hours later, then it lands in the answer for the instant it happened', async () => {
    const r = await project(projections, recorded(
      receive(T('08:00'), 10),
      sell(T('13:00'), 2, 'online'),
      sell(T('10:00'), 3, 'offline-till', T('16:00')),
    ));
    const store = await r.store();
    expect((await balanceAsOf(store, 'A', 'S1', T('09:00'))).onHand).toBe(10);
    expect((await balanceAsOf(store, 'A', 'S1', T('10:00'))).onHand).toBe(7);
    expect((await balanceAsOf(store, 'A', 'S1', T('12:00'))).onHand).toBe(7);
    expect((await balanceAsOf(store, 'A', 'S1', T('14:00'))).onHand).toBe(5);
    expect((await balanceAsOf(store, 'A', 'S1', T('07:00'))).onHand).toBe(0);
  });

  it('given a count, then it is the base from its instant on, and movements it absorbed count only before it', async () => {
    const r = await project(projections, recorded(
      receive(T('08:00'), 10),
      count(T('12:00'), 8, 10),
      sell(T('11:00'), 1, 'late', T('14:00')),
      sell(T('13:00'), 1, 'after'),
    ));
    const store = await r.store();
    expect((await balanceAsOf(store, 'A', 'S1', T('11:30'))).onHand).toBe(9);
    expect(await balanceAsOf(store, 'A', 'S1', T('12:00'))).toEqual({ locationId: 'A', sku: 'S1', onHand: 8, countedAt: T('12:00') });
    // Now: the same as the live balance.
    expect((await balanceAsOf(store, 'A', 'S1', T('23:00'))).onHand).toBe(r.doc<{ _id: string; onHand: number }>('stock', 'A|S1')!.onHand);
  });

  it('answers every pair in scope, and accepts timestamps with offsets', async () => {
    const r = await project(projections, recorded(receive(T('08:00'), 10), receive(T('09:00'), 4, 'B')));
    const store = await r.store();
    expect(await stockAsOf(store, { at: '2026-03-02T10:30:00+02:00', scope: 'all' })).toEqual([
      { locationId: 'A', sku: 'S1', onHand: 10 }, { locationId: 'B', sku: 'S1', onHand: 0 },
    ]);
    expect(await stockAsOf(store, { at: T('10:00'), scope: ['B'] })).toEqual([{ locationId: 'B', sku: 'S1', onHand: 4 }]);
  });
});
