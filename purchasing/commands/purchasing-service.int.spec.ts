/**
 * The purchasing command service against the embedded event store, under concurrency: units
 * are never received twice, a receipt and a cancel exclude each other, and sales appended to the
 * same location stream by the stock service lose nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStockCommands } from '../../write-side/commands/service';
import type { CommandContext, StockCommands } from '../../write-side/commands/types';
import { BusinessRuleViolation } from '../../write-side/domain/errors';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import { createPurchasingCommands, type PurchasingCommands } from './purchasing-service';

let store: SqliteEventStore;
let stock: StockCommands;
let purchasing: PurchasingCommands;
const ctx = (): CommandContext => ({ actor: { kind: 'user', id: 'tester' }, source: 'api', correlationId: 'c-1', now: new Date() });

beforeEach(async () => {
  store = new SqliteEventStore({ path: ':memory:' });
  stock = createStockCommands(store);
  purchasing = createPurchasingCommands(store);
  await stock.registerLocation({ id: 'S1', name: 'Store', type: 'store' }, ctx());
  await stock.registerProduct({ sku: 'A', name: 'A', unitCost: 100 }, ctx());
  await purchasing.registerSupplier({ id: 'acme', name: 'Acme', leadTimeDays: 2 }, ctx());
  await purchasing.draftPurchaseOrder({ id: 'po1', supplierId: 'acme', locationId: 'S1', lines: [{ sku: 'A', quantity: 10, unitCost: 250 }] }, ctx());
});
afterEach(async () => {
  await store.close();
});

const settle = <T>(work: Array<Promise<T>>) => Promise.allSettled(work);

describe('purchasing under concurrency', () => {
  it('given 10 outstanding and 25 concurrent one-unit receipts, then exactly 10 are stored and the rest are over-receipts', async () => {
    await purchasing.sendPurchaseOrder('po1', ctx());
    // Sales hit the same stream meanwhile (appended with `any` by the stock service).
    const results = await settle([
      ...Array.from({ length: 25 }, (_, i) => purchasing.receivePurchaseOrder('po1', { receiptId: `r-${i}`, lines: [{ sku: 'A', quantity: 1 }] }, ctx())),
      ...Array.from({ length: 10 }, (_, i) => stock.recordSale({ locationId: 'S1', saleId: `sale-${i}`, lines: [{ sku: 'A', quantity: 1 }] }, ctx())),
    ]);
    const receipts = results.slice(0, 25);
    expect(receipts.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    for (const r of receipts.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BusinessRuleViolation);
      expect(((r as PromiseRejectedResult).reason as { code: string }).code).toBe('over-receipt');
    }
    expect(results.slice(25).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await stock.onHand('S1', 'A')).toBe(10 - 10);
    const received = (await store.readAll({ maxCount: 1000 })).filter((e) => e.type === 'StockReceived');
    expect(received.reduce((sum, e) => sum + (e.data.lines as Array<{ quantity: number }>)[0]!.quantity, 0)).toBe(10);
  });

  it('given the same receipt id five times at once, then it is stored once and every answer points at it', async () => {
    await purchasing.sendPurchaseOrder('po1', ctx());
    const answers = await Promise.all(Array.from({ length: 5 }, () =>
      purchasing.receivePurchaseOrder('po1', { receiptId: 'dock-1', lines: [{ sku: 'A', quantity: 4 }] }, ctx())));
    expect(new Set(answers.map((a) => a.position)).size).toBe(1);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    expect(await stock.onHand('S1', 'A')).toBe(4);
  });

  it('given a cancel racing a receipt, then exactly one of them wins', async () => {
    await purchasing.sendPurchaseOrder('po1', ctx());
    const [receipt, cancel] = await settle([
      purchasing.receivePurchaseOrder('po1', { receiptId: 'dock-1', lines: [{ sku: 'A', quantity: 4 }] }, ctx()),
      purchasing.cancelPurchaseOrder('po1', {}, ctx()),
    ]);
    expect([receipt!.status, cancel!.status].sort()).toEqual(['fulfilled', 'rejected']);
    const types = (await store.readStream('location-S1')).map((e) => e.type);
    expect(types.includes('StockReceived')).not.toBe(types.includes('PurchaseOrderCancelled'));
  });
});
