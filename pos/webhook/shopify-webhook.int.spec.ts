import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign } from '../signatures';
import { BIG, shopifyInventoryLevel, shopifyOrder, shopifyRefund } from '../testing/fixtures';
import { admin, createHarness, type Harness } from '../testing/pos-harness';

const SECRET = 'shopify-webhook-secret';
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await h.connect({
    id: 'shop', kind: 'shopify', secret: SECRET,
    locationMap: { [BIG.location]: 'store-1', [BIG.location2]: 'store-2' },
    skuMap: { [BIG.variant2]: 'SKU-2', [BIG.inventoryItem]: 'SKU-1' },
  });
});
afterEach(() => h.close());

const deliver = (topic: string, body: string, eventId = `evt-${topic}`, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST', url: '/pos/shop/webhook', payload: body,
    headers: {
      'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-event-id': eventId,
      'x-shopify-hmac-sha256': sign.shopify(SECRET, body), 'x-shopify-shop-domain': 'example.myshopify.com', ...headers,
    },
  });

describe('Shopify webhook', () => {
  it('given orders/create, then one sale with every line at the mapped location, ids kept exactly', async () => {
    const res = await deliver('orders/create', shopifyOrder());
    expect(res.statusCode).toBe(200);
    const [sold, ...rest] = await h.posEvents();
    expect(rest).toEqual([]);
    expect(res.json()).toEqual({ position: sold!.position.toString() });
    expect(sold!.type).toBe('StockSold');
    expect(sold!.data).toMatchObject({
      locationId: 'store-1',
      occurredAt: '2024-06-02T11:59:00.000Z',
      lines: [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1 }],
      pos: { connectionId: 'shop', kind: 'shopify', eventId: `orders/create:${BIG.order}`, orderId: BIG.order },
    });
    expect(sold!.metadata).toMatchObject({ actor: { kind: 'pos', id: 'shop' }, source: 'pos:shopify' });
    expect(await h.commands.onHand('store-1', 'SKU-1')).toBe(8);
  });

  it('given 20 concurrent deliveries and a late repeat of one order, then one sale', async () => {
    const body = shopifyOrder();
    const answers = await Promise.all(Array.from({ length: 20 }, () => deliver('orders/create', body)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    const positions = new Set(answers.map((a) => a.json().position));
    expect(positions.size).toBe(1);
    expect(answers.filter((a) => a.json().duplicate !== true)).toHaveLength(1);
    const again = await deliver('orders/create', body, 'another-subscription-event');
    expect(again.json()).toEqual({ duplicate: true, position: [...positions][0] });
    expect(await h.posEvents()).toHaveLength(1);
    expect(await h.commands.onHand('store-1', 'SKU-1')).toBe(8);
  });

  it('given a tampered body, a forged or missing signature, then 401 and nothing stored', async () => {
    const body = shopifyOrder();
    const tampered = body.replace('"quantity": 2', '"quantity": 1');
    expect((await deliver('orders/create', tampered, 'e', { 'x-shopify-hmac-sha256': sign.shopify(SECRET, body) })).statusCode).toBe(401);
    expect((await deliver('orders/create', body, 'e', { 'x-shopify-hmac-sha256': sign.shopify('wrong-secret', body) })).statusCode).toBe(401);
    const missing = await h.app.inject({ method: 'POST', url: '/pos/shop/webhook', payload: body, headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create' } });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(await h.posEvents()).toEqual([]);
  });

  it('given an unknown or disabled connection, then 404', async () => {
    const body = shopifyOrder();
    expect((await h.app.inject({ method: 'POST', url: '/pos/nope/webhook', payload: body, headers: { 'content-type': 'application/json' } })).statusCode).toBe(404);
    await h.app.inject({ method: 'PATCH', url: '/api/pos/connections/shop', headers: admin, payload: { disabled: true } });
    expect((await deliver('orders/create', body)).statusCode).toBe(404);
    expect(await h.posEvents()).toEqual([]);
  });

  it('given a signed but malformed payload, then 202: kept in quarantine (unreadable / unsupported), nothing stored', async () => {
    const notJson = '{"id": 1, ';
    const res = await deliver('orders/create', notJson);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ quarantined: true, reason: 'unreadable' });
    const noLines = await deliver('orders/create', '{"id": 1, "created_at": "2024-06-02T10:00:00Z"}');
    expect(noLines.statusCode).toBe(202);
    expect(noLines.json()).toMatchObject({ quarantined: true, reason: 'unsupported' });
    expect(await h.posEvents()).toEqual([]);
  });

  it('given refunds/create restocked at two locations and a no_restock line, then one return per location', async () => {
    const body = shopifyRefund({
      lines: [
        { variantId: BIG.variant1, sku: 'SKU-1', quantity: 1, restockType: 'return', locationId: BIG.location },
        { variantId: BIG.variant1, sku: 'SKU-1', quantity: 2, restockType: 'cancel', locationId: BIG.location2 },
        { variantId: BIG.variant1, sku: 'SKU-1', quantity: 5, restockType: 'no_restock', locationId: null },
      ],
    });
    expect((await deliver('refunds/create', body)).statusCode).toBe(200);
    expect((await deliver('refunds/create', body)).json()).toMatchObject({ duplicate: true });
    const returns = await h.posEvents();
    expect(returns.map((e) => [e.type, e.data['locationId'], e.data['lines']])).toEqual([
      ['StockReturned', 'store-1', [{ sku: 'SKU-1', quantity: 1 }]],
      ['StockReturned', 'store-2', [{ sku: 'SKU-1', quantity: 2 }]],
    ]);
    expect(returns[1]!.data['pos']).toMatchObject({ eventId: `refunds/create:${BIG.refund}#loc:${BIG.location2}` });
  });

  it('given orders/cancelled after a restocking refund, then only the units no refund covered come back', async () => {
    await deliver('orders/create', shopifyOrder());
    const cancelled = shopifyOrder({ cancelledAt: '2024-06-02T09:00:00-04:00', refunds: [{ lineItemId: BIG.line1, quantity: 2 }] });
    expect((await deliver('orders/cancelled', cancelled)).statusCode).toBe(200);
    const [, returned] = await h.posEvents();
    expect(returned).toMatchObject({ type: 'StockReturned', data: { occurredAt: '2024-06-02T13:00:00.000Z', lines: [{ sku: 'SKU-2', quantity: 1 }] } });
  });

  it('given inventory_levels/update totals, then a discrepancy only when the numbers differ, once per event', async () => {
    const same = await deliver('inventory_levels/update', shopifyInventoryLevel(10), 'inv-1');
    expect(same.statusCode).toBe(200);
    expect(await h.posEvents()).toEqual([]);
    const differs = shopifyInventoryLevel(7, '2024-06-02T08:05:00-04:00');
    await Promise.all(Array.from({ length: 5 }, () => deliver('inventory_levels/update', differs, 'inv-2')));
    const events = await h.posEvents();
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({
      locationId: 'store-1', sku: 'SKU-1', connectionId: 'shop', posQuantity: 7, ourQuantity: 10, difference: -3,
    })]);
    expect(await h.commands.onHand('store-1', 'SKU-1')).toBe(10);
  });

  it('given an order at an unmapped location, then 202 quarantine; after mapping it, retry records the sale once', async () => {
    const body = shopifyOrder({ locationId: '99999999999999999999' });
    const answers = await Promise.all([deliver('orders/create', body), deliver('orders/create', body)]);
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202]);
    const { id } = answers[0]!.json();
    expect(answers[1]!.json().id).toBe(id);
    expect(await h.posEvents()).toEqual([]);

    const listed = await h.app.inject({ method: 'GET', url: '/api/pos/quarantine', headers: admin });
    expect(listed.json().items).toEqual([expect.objectContaining({ id, reason: 'unmapped-location', connectionId: 'shop', posEventId: `orders/create:${BIG.order}` })]);
    expect(listed.json().items[0].delivery.rawBody).toBe(body);

    await h.app.inject({ method: 'PATCH', url: '/api/pos/connections/shop', headers: admin, payload: { locationMap: { '99999999999999999999': 'store-2' } } });
    const retried = await h.app.inject({ method: 'POST', url: `/api/pos/quarantine/${id}/retry`, headers: admin });
    expect(retried.json().item).toMatchObject({ status: 'released', releasedAs: 'applied' });
    const [sold] = await h.posEvents();
    expect(sold).toMatchObject({ type: 'StockSold', data: { locationId: 'store-2' } });
    expect((await deliver('orders/create', body)).json()).toMatchObject({ duplicate: true });
    expect((await h.app.inject({ method: 'GET', url: '/api/pos/quarantine?status=released', headers: admin })).json().items).toHaveLength(1);
  });
});
