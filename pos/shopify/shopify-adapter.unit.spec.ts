import { describe, expect, it } from 'vitest';
import { SchemaViolation } from '../../schemas/validation';
import type { ConnectionMaps } from '../effects';
import { parsePosJson } from '../pos-json';
import { BIG, shopifyInventoryLevel, shopifyOrder, shopifyRefund } from '../testing/fixtures';
import { handlerFor, shopifyTopics } from '../processing/topic-table';
import { UnsupportedTopic } from '../effects';
import type { ShopifyDelivery } from './shopify-adapter';

/** The topic table's handler, as the processor picks it. */
function shopifyEffect(payload: unknown, delivery: ShopifyDelivery, maps: ConnectionMaps) {
  const handler = handlerFor(shopifyTopics, delivery.topic);
  if (!handler) throw new UnsupportedTopic(`no handler for ${delivery.topic}`);
  return handler(payload, delivery, maps);
}

const c: ConnectionMaps = { id: 'shop', kind: 'shopify', locationMap: { [BIG.location]: 'store-1', '*': 'web' }, skuMap: { [BIG.variant2]: 'SKU-2', [BIG.inventoryItem]: 'SKU-1' } };
const effect = (topic: string, body: string, maps = c) => shopifyEffect(parsePosJson(body), { topic, deliveryId: 'evt-1' }, maps);

describe('shopifyEffect', () => {
  it('orders/create: one sale ticket keyed on the exact order id, lines by sku else variant', () => {
    expect(effect('orders/create', shopifyOrder())).toEqual({
      kind: 'sale',
      tickets: [{
        eventId: `orders/create:${BIG.order}`, orderId: BIG.order, locationId: 'store-1', occurredAt: '2024-06-02T11:59:00.000Z',
        reference: 'Shopify #1001', lines: [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1 }],
      }],
    });
  });

  it('orders/create without a location uses the "*" entry; without one it is quarantined', () => {
    expect(effect('orders/create', shopifyOrder({ locationId: null }))).toMatchObject({ kind: 'sale', tickets: [{ locationId: 'web' }] });
    expect(effect('orders/create', shopifyOrder({ locationId: null }), { ...c, locationMap: {} }))
      .toMatchObject({ kind: 'quarantine', reason: 'unmapped-location' });
  });

  it('custom items, tips, gift cards and untracked variants move nothing and never hold the stocked lines hostage', () => {
    // Small ids: this test edits the payload with JSON.parse, which would round ids above 2^53.
    const maps = { ...c, skuMap: { ...c.skuMap, '555': 'SKU-2' } };
    const order = JSON.parse(shopifyOrder({ id: '1001', locationId: null, lines: [
      { id: '1', variantId: '555', sku: '', quantity: 3 },
      { id: '2', variantId: null, sku: null, quantity: 1 },
      { id: '3', variantId: null, sku: null, quantity: 1 },
      { id: '4', variantId: '77', sku: 'GIFT', quantity: 1 },
      { id: '5', variantId: '78', sku: 'SERVICE', quantity: 2 },
    ] })) as { line_items: Array<Record<string, unknown>> };
    Object.assign(order.line_items[1]!, { product_exists: false, title: 'Engraving' });
    Object.assign(order.line_items[2]!, { product_exists: false, title: 'Tip' });
    Object.assign(order.line_items[3]!, { gift_card: true, title: 'Gift card' });
    Object.assign(order.line_items[4]!, { variant_inventory_management: null, title: 'Repair service' });
    const mixed = effect('orders/create', JSON.stringify(order), maps);
    expect(mixed).toMatchObject({ kind: 'sale', tickets: [{
      lines: [{ sku: 'SKU-2', quantity: 3 }],
      unstocked: [
        { reason: 'custom', quantity: 1, posLineId: '2', title: 'Engraving' }, { reason: 'tip', quantity: 1, posLineId: '3' },
        { reason: 'gift-card', quantity: 1, posLineId: '4' }, { reason: 'untracked', quantity: 2, posLineId: '5' },
      ],
    }] });
    order.line_items.splice(0, 1);
    expect(effect('orders/create', JSON.stringify(order), maps)).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('only lines that are not stock') });
  });

  it('a line with neither SKU nor mapped variant quarantines the whole order', () => {
    const body = shopifyOrder({ lines: [{ id: BIG.line1, variantId: '123', sku: null, quantity: 1 }] });
    expect(effect('orders/create', body)).toMatchObject({ kind: 'quarantine', reason: 'unmapped-sku', posEventId: `orders/create:${BIG.order}` });
  });

  it('a POS id named like an Object.prototype member is not a mapping', () => {
    expect(effect('orders/create', shopifyOrder({ locationId: '"constructor"' }), { ...c, locationMap: {} })).toMatchObject({ kind: 'quarantine' });
  });

  it('orders/cancelled returns what no refund covered', () => {
    const body = shopifyOrder({ cancelledAt: '2024-06-02T09:00:00Z', refunds: [{ lineItemId: BIG.line1, quantity: 2 }, { lineItemId: BIG.line2, quantity: 1 }] });
    expect(effect('orders/cancelled', body)).toMatchObject({ kind: 'ignore' });
    expect(effect('orders/cancelled', shopifyOrder({ cancelledAt: '2024-06-02T09:00:00Z' })))
      .toMatchObject({ kind: 'return', tickets: [{ eventId: `orders/cancelled:${BIG.order}`, occurredAt: '2024-06-02T09:00:00.000Z' }] });
  });

  it('refunds/create: return and cancel restock, no_restock does not', () => {
    expect(effect('refunds/create', shopifyRefund({ lines: [{ variantId: BIG.variant1, sku: 'SKU-1', quantity: 1, restockType: 'no_restock', locationId: null }] })))
      .toMatchObject({ kind: 'ignore' });
    expect(effect('refunds/create', shopifyRefund({ lines: [
      { variantId: BIG.variant1, sku: 'SKU-1', quantity: 1, restockType: 'return', locationId: BIG.location },
      { variantId: BIG.variant1, sku: 'SKU-1', quantity: 2, restockType: 'cancel', locationId: BIG.location },
    ] }))).toEqual({
      kind: 'return',
      tickets: [{ eventId: `refunds/create:${BIG.refund}`, orderId: BIG.order, locationId: 'store-1', occurredAt: '2024-06-02T14:00:00.000Z', reference: `Shopify refund ${BIG.refund}`, lines: [{ sku: 'SKU-1', quantity: 3 }] }],
    });
  });

  it('inventory_levels/update: an observation of the total, keyed on the delivery id', () => {
    expect(effect('inventory_levels/update', shopifyInventoryLevel(42))).toEqual({
      kind: 'observation', dedupeKey: 'evt-1', skipped: [],
      observations: [{ posEventId: 'evt-1', locationId: 'store-1', sku: 'SKU-1', posQuantity: 42, observedAt: '2024-06-02T12:00:00.000Z' }],
    });
    expect(effect('inventory_levels/update', shopifyInventoryLevel(null))).toMatchObject({ kind: 'ignore' });
  });

  it('a known topic that moves no stock is ignored, an unknown one has no handler; a payload missing required fields is a schema violation', () => {
    expect(effect('orders/paid', '{}')).toMatchObject({ kind: 'ignore' });
    expect(() => effect('products/update', '{}')).toThrow(UnsupportedTopic);
    expect(() => effect('orders/create', '{"id": 1}')).toThrow(SchemaViolation);
  });
});
