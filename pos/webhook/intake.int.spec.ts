/**
 * The intake rules of issue 8 through `app.inject`: every authentic delivery is in the inbox
 * before it is processed and is never refused afterwards; POS answers stay within the deadline
 * whatever the Square Orders API does; totals are observations; lines that are not stock never
 * hold an order hostage; test notifications and other shops' deliveries move nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign } from '../signatures';
import { BIG, shopifyInventoryLevel, shopifyOrder, SQUARE_LOCATION, squareOrder, squarePaymentUpdated } from '../testing/fixtures';
import { admin, createHarness, NOW, type Harness } from '../testing/pos-harness';
import { startSlowOrdersApi, type SlowOrdersApi } from '../testing/slow-orders-api';
import { shopifyOrderWithCustomLine, shopifyTestNotification } from '../testing/documented-payloads';

const SHOP_SECRET = 'shopify-webhook-secret';
const SQ_SECRET = 'square-signature-key';
const SQ_URL = 'https://stocktide.example.com/pos/sq/webhook';
const SQ_TOKEN = 'EAAA-slow-token';
const SHOP = 'johns-apparel.myshopify.com';

let h: Harness;
let api: SlowOrdersApi;
let now: Date;

beforeEach(async () => {
  now = NOW;
  api = await startSlowOrdersApi(SQ_TOKEN);
  h = await createHarness({
    clock: () => now,
    intake: { upstreamTimeoutMs: 300, answerBudgetMs: 2_000, retryBaseMs: 100, retryMaxMs: 400, maxAttempts: 30, sweepMs: 60_000 },
  });
  await h.connect({
    id: 'shop', kind: 'shopify', secret: SHOP_SECRET, shopDomain: SHOP,
    locationMap: { [BIG.location]: 'store-1', '*': 'store-1' }, skuMap: { [BIG.variant2]: 'SKU-2', [BIG.inventoryItem]: 'SKU-1' },
  });
  await h.connect({
    id: 'sq', kind: 'square', secret: SQ_SECRET, notificationUrl: SQ_URL, apiBaseUrl: api.baseUrl, accessToken: SQ_TOKEN,
    merchantId: '6SSW7HV8K2ST5', locationMap: { [SQUARE_LOCATION]: 'store-1' }, skuMap: { CATVAR1: 'SKU-1' },
  });
});
afterEach(async () => {
  await h.close();
  await api.close();
});

const shopify = (topic: string, body: string, headers: Record<string, string> = {}) => h.app.inject({
  method: 'POST', url: '/pos/shop/webhook', payload: body,
  headers: {
    'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-webhook-id': `wh-${Math.random()}`,
    'x-shopify-hmac-sha256': sign.shopify(SHOP_SECRET, body), 'x-shopify-shop-domain': SHOP, ...headers,
  },
});
const square = (body: string) => h.app.inject({
  method: 'POST', url: '/pos/sq/webhook', payload: body,
  headers: { 'content-type': 'application/json', 'x-square-hmacsha256-signature': sign.square(SQ_SECRET, SQ_URL, body) },
});
const health = async (id: string) => (await h.app.inject({ method: 'GET', url: `/api/pos/connections/${id}/health`, headers: admin })).json();
const until = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('durable inbox', () => {
  it('given a corrupt but signed body, then 202 quarantined as unreadable, raw body shown, the inbox entry settled', async () => {
    const corrupt = '{"id": 5678901234567890123, "line_items": [ {"variant_id": 4501';
    const res = await shopify('orders/create', corrupt);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ quarantined: true, reason: 'unreadable' });
    const again = await shopify('orders/create', corrupt);
    expect(again.json().id).toBe(res.json().id); // one item per distinct body
    const listed = (await h.app.inject({ method: 'GET', url: '/api/pos/quarantine', headers: admin })).json().items;
    expect(listed).toEqual([expect.objectContaining({ reason: 'unreadable', delivery: expect.objectContaining({ rawBody: corrupt, topic: 'orders/create' }) })]);
    const [entry] = await h.inbox.listRecent('shop', 1);
    expect(entry).toMatchObject({ status: 'quarantined', delivery: { rawBody: corrupt }, headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': SHOP } });
    expect(entry!.headers['x-shopify-hmac-sha256']).toBeUndefined();
    const retried = await h.app.inject({ method: 'POST', url: `/api/pos/quarantine/${res.json().id}/retry`, headers: admin });
    expect(retried.json().item).toMatchObject({ status: 'open', reason: 'unreadable', attempts: 1 });
    expect(await h.posEvents()).toEqual([]);
    expect(await health('shop')).toMatchObject({ quarantined: 1, pending: 0, deliveriesLastHour: 2, lastError: { message: 'quarantined (unreadable)' } });
  });

  it('given an unknown topic, then 202 unsupported; a non-JSON content type is 415 only once the signature holds', async () => {
    expect((await shopify('carts/create', '{"id": 1}')).json()).toMatchObject({ quarantined: true, reason: 'unsupported', detail: expect.stringContaining('carts/create') });
    const xml = '<order/>';
    expect((await shopify('orders/create', xml, { 'content-type': 'application/xml' })).statusCode).toBe(415);
    expect((await shopify('orders/create', xml, { 'content-type': 'application/xml', 'x-shopify-hmac-sha256': sign.shopify('wrong', xml) })).statusCode).toBe(401);
    expect(await h.posEvents()).toEqual([]);
  });

  it('given a body over the size limit, then 413 problem+json before anything is kept', async () => {
    const huge = `{"id": 1, "note": "${'x'.repeat(1_100_000)}"}`;
    const res = await shopify('orders/create', huge);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await h.inbox.listRecent('shop')).toEqual([]);
  });

  it('given pending entries left by a crash, when the app starts, then they are processed once', async () => {
    const body = shopifyOrder();
    await h.inbox.receive({ id: 'crashed-1', connectionId: 'shop', delivery: { kind: 'shopify', topic: 'orders/create', rawBody: body }, headers: {}, receivedAt: NOW.toISOString() });
    await h.inbox.receive({ id: 'crashed-2', connectionId: 'shop', delivery: { kind: 'shopify', topic: 'orders/create', rawBody: body }, headers: {}, receivedAt: NOW.toISOString() });
    // A second app on the same stores starts its worker: its first sweep is the recovery.
    const second = await createHarnessOnSameStores(h);
    await until(async () => (await h.inbox.listPending()).length === 0);
    await second.close();
    expect(await h.posEvents()).toHaveLength(1);
    expect((await h.inbox.get('crashed-2'))!.outcome).toMatchObject({ status: 'applied' });
  });
});

describe('deadlines', () => {
  it('given a hanging Orders API, then Square gets 202 within the cap, and the sale applies once the API recovers', async () => {
    api.orders.set('ORD-H', squareOrder({ id: 'ORD-H', lines: [{ catalogObjectId: 'CATVAR1', quantity: '2' }] }));
    api.hanging = true;
    const started = Date.now();
    const res = await square(squarePaymentUpdated({ eventId: 'ev-h', orderId: 'ORD-H' }));
    const took = Date.now() - started;
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ pending: true, id: expect.any(String) });
    expect(took).toBeLessThan(8_000); // Square's hard cap (10 s budget)
    expect(await h.posEvents()).toEqual([]);
    await until(async () => api.calls >= 2); // fetched again in the background, still hanging
    expect(await health('sq')).toMatchObject({ pending: 1, lastError: { message: expect.stringContaining('ORD-H') } });
    api.hanging = false;
    await until(async () => (await h.posEvents()).length === 1);
    const [sold] = await h.posEvents();
    expect(sold).toMatchObject({ type: 'StockSold', data: { lines: [{ sku: 'SKU-1', quantity: 2 }], pos: { eventId: 'order:ORD-H:COMPLETED' } } });
    // Settled with the inbox's next batch, just after the append.
    await until(async () => (await h.inbox.get(res.json().id))?.status !== 'pending');
    expect(await h.inbox.get(res.json().id)).toMatchObject({ status: 'done', outcome: { status: 'applied' } });
    // The same sale delivered again counts once.
    expect((await square(squarePaymentUpdated({ eventId: 'ev-h2', orderId: 'ORD-H' }))).json()).toMatchObject({ duplicate: true });
    expect(await h.commands.onHand('store-1', 'SKU-1')).toBe(8);
  });

  it('given processing slower than the answer budget, then 202 pending at the budget, and processing goes on to apply the sale', async () => {
    await h.close();
    h = await createHarness({ intake: { upstreamTimeoutMs: 1_000, answerBudgetMs: 150, retryBaseMs: 50, sweepMs: 60_000 } });
    await h.connect({ id: 'sq', kind: 'square', secret: SQ_SECRET, notificationUrl: SQ_URL, apiBaseUrl: api.baseUrl, accessToken: SQ_TOKEN, locationMap: { [SQUARE_LOCATION]: 'store-1' }, skuMap: { CATVAR1: 'SKU-1' } });
    api.orders.set('ORD-B', squareOrder({ id: 'ORD-B', lines: [{ catalogObjectId: 'CATVAR1', quantity: '1' }] }));
    api.delayMs = 500; // slower than the budget, faster than the upstream timeout
    const res = await square(squarePaymentUpdated({ eventId: 'ev-b', orderId: 'ORD-B' }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ pending: true, reason: 'still processing' });
    // Kept before the 202: stored pending while processing goes on, settled once it is done.
    expect(await h.inbox.get(res.json().id)).toMatchObject({ status: 'pending', attempts: 0 });
    await until(async () => (await h.inbox.get(res.json().id))!.status === 'done');
    expect(await h.posEvents()).toEqual([expect.objectContaining({ type: 'StockSold', data: expect.objectContaining({ lines: [{ sku: 'SKU-1', quantity: 1 }] }) })]);
    expect(api.calls).toBe(1);
  });

  it('given an Orders API that never recovers, then after the attempts the delivery is quarantined with the reason', async () => {
    await h.close();
    h = await createHarness({ intake: { upstreamTimeoutMs: 100, retryBaseMs: 50, retryMaxMs: 100, maxAttempts: 3, sweepMs: 60_000 } });
    await h.connect({ id: 'sq', kind: 'square', secret: SQ_SECRET, notificationUrl: SQ_URL, apiBaseUrl: api.baseUrl, accessToken: SQ_TOKEN, locationMap: { [SQUARE_LOCATION]: 'store-1' }, skuMap: { CATVAR1: 'SKU-1' } });
    api.hanging = true;
    const res = await square(squarePaymentUpdated({ eventId: 'ev-x', orderId: 'ORD-X' }));
    expect(res.statusCode).toBe(202);
    await until(async () => (await h.inbox.get(res.json().id))!.status === 'quarantined');
    const [item] = (await h.app.inject({ method: 'GET', url: '/api/pos/quarantine', headers: admin })).json().items;
    expect(item).toMatchObject({ reason: 'order-unavailable', detail: expect.stringContaining('ORD-X') });
    expect(api.calls).toBe(3);
  });
});

describe('totals are observations', () => {
  it('given a total too old to compare or for an unknown item, then 200 ignored with the reason, never 409', async () => {
    const old = await shopify('inventory_levels/update', shopifyInventoryLevel(3, '2024-05-01T08:00:00-04:00'));
    expect(old.statusCode).toBe(200);
    expect(old.json()).toMatchObject({ ignored: true, reason: expect.stringContaining('too old') });
    const unknown = await shopify('inventory_levels/update', shopifyInventoryLevel(3).replace(BIG.inventoryItem, '47000000000000000001'));
    expect(unknown.json()).toMatchObject({ ignored: true, reason: expect.stringContaining('not mapped') });
    expect(await h.posEvents()).toEqual([]);
  });
});

describe('lines that are not stock', () => {
  it('given a mixed order with a custom line, then exactly its stocked units move and the custom line is recorded on the sale', async () => {
    const res = await shopify('orders/create', shopifyOrderWithCustomLine);
    expect(res.statusCode).toBe(200);
    const [sold, ...rest] = await h.posEvents();
    expect(rest).toEqual([]);
    expect(sold!.data).toMatchObject({ lines: [{ sku: 'SKU-2', quantity: 2 }], pos: { unstocked: [{ reason: 'custom', quantity: 1, title: 'Gift wrapping' }] } });
    expect(await h.commands.onHand('store-1', 'SKU-2')).toBe(8);
    expect(await h.commands.onHand('store-1', 'SKU-1')).toBe(10);
  });
});

describe('test traffic and tenancy', () => {
  it('given Shopify\'s test notification, then 200 acknowledged, nothing moves, and the health counts a test delivery', async () => {
    const res = await shopify('orders/create', shopifyTestNotification);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ignored: true, test: true });
    expect(await h.posEvents()).toEqual([]);
    expect(await health('shop')).toMatchObject({ testDeliveries: 1, lastTestAt: NOW.toISOString(), deliveriesLastHour: 1 });
  });

  it('given a delivery signed for another shop or merchant, then 403 problem+json and nothing kept', async () => {
    const other = await shopify('orders/create', shopifyOrder(), { 'x-shopify-shop-domain': 'someone-else.myshopify.com' });
    expect(other.statusCode).toBe(403);
    expect(other.headers['content-type']).toContain('application/problem+json');
    const body = squarePaymentUpdated({ eventId: 'ev-m', orderId: 'O' }).replace('6SSW7HV8K2ST5', 'OTHERMERCHANT');
    expect((await square(body)).statusCode).toBe(403);
    expect(await h.inbox.listRecent('shop')).toEqual([]);
    expect(await h.inbox.listRecent('sq')).toEqual([]);
    expect((await shopify('orders/create', shopifyOrder(), { 'x-shopify-shop-domain': SHOP.toUpperCase() })).statusCode).toBe(200);
  });
});

describe('connection health', () => {
  it('given a connection that usually delivers, when it goes silent longer than the setting, then an alert', async () => {
    for (let i = 0; i < 5; i++) await shopify('orders/paid', `{"id": ${i}}`);
    expect(await health('shop')).toMatchObject({ silent: false, deliveriesLastHour: 5, lastDeliveryAt: NOW.toISOString() });
    now = new Date(NOW.getTime() + 61 * 60_000);
    const silent = await health('shop');
    expect(silent).toMatchObject({ silent: true, deliveriesLastHour: 0, deliveriesLastWeek: 5, alert: expect.stringContaining('no delivery for 61 min') });
    const all = (await h.app.inject({ method: 'GET', url: '/api/pos/health', headers: admin })).json();
    expect(all).toMatchObject({ silentAfterMinutes: 60, items: [{ connectionId: 'shop', silent: true }, { connectionId: 'sq', silent: false }] });
    const listed = (await h.app.inject({ method: 'GET', url: '/api/pos/connections', headers: admin })).json();
    expect(listed.items.find((c: { id: string }) => c.id === 'shop')).toMatchObject({ id: 'shop', shopDomain: SHOP, health: { silent: true, deliveriesLastWeek: 5 } });
    const deliveries = (await h.app.inject({ method: 'GET', url: '/api/pos/connections/shop/deliveries?limit=2', headers: admin })).json();
    expect(deliveries.items).toHaveLength(2);
    expect(deliveries.items[0]).toMatchObject({ status: 'done', outcome: { status: 'ignored' } });
  });
});

/** A second app on the stores of `h` (same inbox, POS store and event store): what a restart sees. */
async function createHarnessOnSameStores(base: Harness) {
  const { createTestApp } = await import('../../server/testing/test-app');
  const { posRoutes } = await import('../pos-routes');
  const app = createTestApp();
  await app.register(posRoutes, { commands: base.commands, connections: base.store, inbox: base.inbox, clock: () => NOW, intake: { sweepMs: 60_000 } });
  await app.ready();
  return { close: () => app.close() };
}
