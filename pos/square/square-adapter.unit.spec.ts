import { describe, expect, it } from 'vitest';
import type { ConnectionMaps } from '../effects';
import { SQUARE_LOCATION, squareInventoryCountUpdated, squareOrder, squareOrderUpdated, squarePaymentUpdated } from '../testing/fixtures';
import { handlerFor, squareTopics } from '../processing/topic-table';
import { squareOrderCreatedNotification } from '../testing/documented-payloads';
import { squareEnvelope, squareOrderEffect, squareUnits } from './square-adapter';

function squareNotificationEffect(payload: unknown, maps: ConnectionMaps) {
  const notification = squareEnvelope(payload);
  return handlerFor(squareTopics, notification.type)!(notification, maps);
}

const c: ConnectionMaps = { id: 'sq', kind: 'square', locationMap: { [SQUARE_LOCATION]: 'store-1' }, skuMap: { CATVAR1: 'SKU-1', CATVAR2: 'SKU-2' } };
const notify = (body: string) => squareNotificationEffect(JSON.parse(body), c);

describe('squareNotificationEffect', () => {
  it('a completed payment and a completed order both ask for the same order, under the same id', () => {
    const a = notify(squarePaymentUpdated({ eventId: 'e1', orderId: 'O1' }));
    const b = notify(squareOrderUpdated({ eventId: 'e2', orderId: 'O1' }));
    expect(a).toEqual({ kind: 'fetch-order', orderId: 'O1', posEventId: 'order:O1:COMPLETED' });
    expect(b).toEqual(a);
  });

  it('payments not completed and open orders are ignored', () => {
    expect(notify(squarePaymentUpdated({ eventId: 'e1', orderId: 'O1', status: 'PENDING' }))).toMatchObject({ kind: 'ignore' });
    expect(notify(squareOrderUpdated({ eventId: 'e1', orderId: 'O1', state: 'OPEN' }))).toMatchObject({ kind: 'ignore' });
  });

  it('inventory.count.updated: IN_STOCK totals of mapped items become observations; others are skipped', () => {
    const effect = notify(squareInventoryCountUpdated({ eventId: 'e9', counts: [
      { catalogObjectId: 'CATVAR1', quantity: '5' }, { catalogObjectId: 'CATVAR1', quantity: '2', state: 'WASTE' },
      { catalogObjectId: 'UNKNOWN', quantity: '1' }, { catalogObjectId: 'CATVAR2', quantity: '1.5' },
    ] }));
    expect(effect).toMatchObject({
      kind: 'observation', dedupeKey: 'e9',
      observations: [{ posEventId: `e9#CATVAR1@${SQUARE_LOCATION}`, locationId: 'store-1', sku: 'SKU-1', posQuantity: 5, observedAt: '2024-06-02T12:00:00.000Z' }],
      skipped: [expect.stringContaining('UNKNOWN'), expect.stringContaining('1.5')],
    });
  });
});

describe('squareOrderEffect', () => {
  it('a completed order: sale of its catalog lines (string quantities), custom amounts recorded as unstocked', () => {
    expect(squareOrderEffect(squareOrder({ id: 'O1', lines: [{ catalogObjectId: 'CATVAR1', quantity: '2' }, { quantity: '1' }] }), c)).toEqual({
      kind: 'sale',
      tickets: [{
        eventId: 'order:O1:COMPLETED', orderId: 'O1', locationId: 'store-1', occurredAt: '2024-06-02T12:00:00.000Z', reference: 'Square order O1',
        lines: [{ sku: 'SKU-1', quantity: 2 }], unstocked: [{ reason: 'custom', quantity: 1, posLineId: 'uid-1', title: 'Coffee' }],
      }],
    });
  });

  it('an order of only custom amounts and gift cards is ignored; a gift card line never quarantines the order', () => {
    expect(squareOrderEffect(squareOrder({ id: 'O4', lines: [{ quantity: '1' }] }), c)).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('not stock') });
    const order = squareOrder({ id: 'O5', lines: [{ catalogObjectId: 'CATVAR1', quantity: '1' }, { catalogObjectId: 'GC-VARIATION', quantity: '1' }] }) as { order: { line_items: Array<Record<string, unknown>> } };
    order.order.line_items[1]!['item_type'] = 'GIFT_CARD';
    expect(squareOrderEffect(order, c)).toMatchObject({ kind: 'sale', tickets: [{ lines: [{ sku: 'SKU-1', quantity: 1 }], unstocked: [{ reason: 'gift-card' }] }] });
  });

  it('order.created for an order created COMPLETED asks for the order like the others', () => {
    const created = squareOrderCreatedNotification({ orderId: 'O6', locationId: SQUARE_LOCATION, state: 'COMPLETED' });
    expect(notify(created)).toEqual({ kind: 'fetch-order', orderId: 'O6', posEventId: 'order:O6:COMPLETED' });
    expect(notify(squareOrderCreatedNotification({ orderId: 'O6', locationId: SQUARE_LOCATION }))).toMatchObject({ kind: 'ignore', reason: 'order is OPEN' });
  });

  it('an exchange: a sale and a return with distinct ids', () => {
    const effect = squareOrderEffect(squareOrder({ id: 'O2', lines: [{ catalogObjectId: 'CATVAR1', quantity: '1' }], returns: [{ catalogObjectId: 'CATVAR2', quantity: '1' }] }), c);
    expect(effect).toMatchObject({ kind: 'several', effects: [
      { kind: 'sale', tickets: [{ eventId: 'order:O2:COMPLETED' }] },
      { kind: 'return', tickets: [{ eventId: 'order:O2:COMPLETED#return', lines: [{ sku: 'SKU-2', quantity: 1 }] }] },
    ] });
  });

  it('unmapped items or locations and fractional quantities are quarantined; open orders ignored', () => {
    expect(squareOrderEffect(squareOrder({ id: 'O3', lines: [{ catalogObjectId: 'NOPE', quantity: '1' }] }), c)).toMatchObject({ kind: 'quarantine', reason: 'unmapped-sku' });
    expect(squareOrderEffect(squareOrder({ id: 'O3', locationId: 'ELSEWHERE', lines: [] }), c)).toMatchObject({ kind: 'quarantine', reason: 'unmapped-location' });
    expect(squareOrderEffect(squareOrder({ id: 'O3', lines: [{ catalogObjectId: 'CATVAR1', quantity: '0.5' }] }), c)).toMatchObject({ kind: 'quarantine', reason: 'invalid-quantity' });
    expect(squareOrderEffect(squareOrder({ id: 'O3', state: 'OPEN' }), c)).toMatchObject({ kind: 'ignore' });
  });

  it('squareUnits reads whole units only', () => {
    expect([squareUnits('3'), squareUnits('-2'), squareUnits('1.0'), squareUnits('')]).toEqual([3, -2, undefined, undefined]);
  });
});
