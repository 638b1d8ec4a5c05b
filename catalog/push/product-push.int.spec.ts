/**
 * Issue 14, point 5: products created or changed in Stocktide are pushed to a POS connection that
 * allows it, with the balance pushes' compare-and-set discipline (against fakes on 127.0.0.1):
 * a product the POS changed meanwhile is not overwritten, the conflict is kept on the job and
 * shown as a catalog alert; a push is idempotent and retried; the new POS item is linked, so its
 * sales and balance pushes map with no hand-made map.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShopifyStore, SHOPIFY_TOKEN, startFakeShopifyAdmin, type FakeShopifyAdmin } from '../../pos/testing/fake-shopify-admin';
import { SQUARE_TOKEN, startFakeSquareApi, type FakeSquareApi } from '../../pos/testing/fake-square-api';
import { startFullApp, type FullApp } from '../../server/testing/full-app';
import { deliverShopify, SHOPIFY_SECRET, shopifyProductBody } from '../testing/shopify-webhooks';
import { productPushJobId, type ProductPushJob } from './product-push-job';

let full: FullApp;
let shopify: FakeShopifyAdmin;
let square: FakeSquareApi;

const writes = (fake: FakeShopifyAdmin) => fake.calls.filter((c) => c.query.startsWith('mutation') && !c.query.includes('inventorySetQuantities')).length;
const job = async (connectionId: string, sku: string) =>
  ((await full.get(`/api/pos/product-pushes?connectionId=${connectionId}`, full.admin)).json() as { items: ProductPushJob[] }).items.find((j) => j.id === productPushJobId(connectionId, sku));
const push = () => full.built.services.catalog.productPush.runOnce();
const ok = async (res: Promise<{ statusCode: number; body: string }>, status = 200) => {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return JSON.parse(r.body || '{}') as Record<string, unknown>;
};
const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 8000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  shopify = await startFakeShopifyAdmin(generateShopifyStore(8, 1));
  square = await startFakeSquareApi();
  full = await startFullApp();
  await ok(full.post('/api/pos/connections', full.admin, { id: 'shop', kind: 'shopify', secret: SHOPIFY_SECRET, locationMap: {}, apiBaseUrl: shopify.baseUrl, accessToken: SHOPIFY_TOKEN }), 201);
  await ok(full.post('/api/pos/connections/shop/imports', full.admin, { scope: ['locations', 'catalog'], createLocations: true }), 202);
  const [imported] = (await full.get('/api/pos/imports?connectionId=shop', full.admin)).json().items as Array<{ id: string }>;
  await full.built.services.catalog.imports.settled(imported!.id);
}, 60_000);

afterAll(async () => {
  await full?.close();
  await shopify?.close();
  await square?.close();
});

describe('product push to Shopify', () => {
  it('pushes nothing until an admin allows it for the connection (409 for a generic one)', async () => {
    await ok(full.post('/api/products', full.admin, { sku: 'EARLY-1', name: 'Made before push was on' }), 201);
    await push();
    expect(writes(shopify)).toBe(0);
    await ok(full.post('/api/pos/connections', full.admin, { id: 'till', kind: 'generic', secret: 'generic-secret-1', locationMap: {} }), 201);
    await ok(full.call('PUT', '/api/pos/connections/till/product-push', full.admin, { enabled: true }), 409);
    expect(await ok(full.get('/api/pos/connections/shop/product-push', full.admin))).toEqual({ connectionId: 'shop', enabled: false });
    const on = await ok(full.call('PUT', '/api/pos/connections/shop/product-push', full.admin, { enabled: true }));
    expect(on).toMatchObject({ connectionId: 'shop', enabled: true });
    expect(BigInt(on['fromPosition'] as string)).toBeGreaterThan(0n); // the head when it was enabled
    expect(await ok(full.get('/api/pos/connections/shop/product-push', full.admin))).toMatchObject({ connectionId: 'shop', enabled: true });
    await push();
    expect(writes(shopify)).toBe(0); // only changes from now on (includeExisting: the whole catalog)
  });

  it('creates a product made in Stocktide, links the new variant, and a second run writes nothing', async () => {
    await ok(full.post('/api/products', full.admin, { sku: 'TOTE-1', name: 'Canvas <b>tote</b>' }), 201);
    await ok(full.call('PATCH', '/api/products/TOTE-1', full.admin, { price: 1500 }));
    await ok(full.call('PUT', '/api/products/TOTE-1/barcodes', full.admin, { barcodes: ['0036000291452'] }));
    await push();
    const made = shopify.variants.find((v) => v.sku === 'TOTE-1')!;
    expect(made).toMatchObject({ title: 'Default Title', price: '15.00', barcode: '0036000291452', product: { title: 'Canvas <b>tote</b>' } });
    expect(await job('shop', 'TOTE-1')).toMatchObject({ status: 'delivered', result: 'created', posItemId: made.legacyResourceId, attempts: 1 });
    const items = (await full.get(`/api/pos/connections/shop/items?minPosition=${await full.head()}`, full.admin)).json().items as Array<{ posItemId: string; sku: string; aliases: string[] }>;
    expect(items.find((i) => i.sku === 'TOTE-1')).toEqual(expect.objectContaining({ posItemId: made.legacyResourceId, aliases: [made.inventoryItem.legacyResourceId] }));
    const before = writes(shopify);
    const head = await full.head();
    await push();
    expect(writes(shopify)).toBe(before);
    // Shopify's own products/create for what we made comes back: nothing changes.
    const echo = await deliverShopify(full.app, 'shop', 'products/create', shopifyProductBody(made.product.legacyResourceId, made.product.title, [made], made.updatedAt), 'evt-echo-1');
    expect(echo.statusCode, echo.body).toBe(200);
    expect(await full.head()).toBe(head);
  });

  it('pushes balances of the new product to its inventory item (derived map, no hand-made map)', async () => {
    await ok(full.call('PUT', '/api/pos/connections/shop/push', full.admin, { enabled: true }));
    const connection = (await full.get('/api/pos/connections/shop', full.admin)).json() as { locationMap: Record<string, string> };
    const [posLocation, location] = Object.entries(connection.locationMap)[0]!;
    await ok(full.post('/api/stock/receipts', full.admin, { locationId: location, lines: [{ sku: 'TOTE-1', quantity: 12 }] }), 201);
    const made = shopify.variants.find((v) => v.sku === 'TOTE-1')!;
    await until('the balance push', () => shopify.inventorySets.length > 0);
    expect(shopify.inventorySets[0]!['quantities']).toEqual([{
      inventoryItemId: `gid://shopify/InventoryItem/${made.inventoryItem.legacyResourceId}`, locationId: `gid://shopify/Location/${posLocation}`, quantity: 12, changeFromQuantity: null,
    }]);
    await ok(full.call('PUT', '/api/pos/connections/shop/push', full.admin, { enabled: false }));
  });

  it('writes a rename made in Stocktide over the version it last saw, as "<product title> - <variant>"', async () => {
    await ok(full.call('PATCH', '/api/products/SH-00001', full.admin, { name: 'Shirt zero - Medium' }));
    await push();
    expect(shopify.variants.filter((v) => v.product.legacyResourceId === shopify.variants[1]!.product.legacyResourceId).map((v) => v.product.title)).toEqual(Array(4).fill('Shirt zero'));
    expect(await job('shop', 'SH-00001')).toMatchObject({ status: 'delivered', result: 'updated' });
  });

  it('does not overwrite a product the POS changed meanwhile: the conflict is kept on the job and shown; push resolves it', async () => {
    const variant = shopify.variants[5]!;
    shopify.editInPos(variant.legacyResourceId, { price: '99.00' }); // a merchant in the Shopify admin; no webhook yet
    const writesBefore = writes(shopify);
    await ok(full.call('PATCH', '/api/products/SH-00005', full.admin, { price: 2500 }));
    await push();
    expect(writes(shopify)).toBe(writesBefore);
    expect(variant.price).toBe('99.00');
    const failed = await job('shop', 'SH-00005');
    expect(failed).toMatchObject({ status: 'failed', result: 'conflict', observed: { price: 9900, title: 'Shirt 1 - Medium', posUpdatedAt: variant.updatedAt } });
    const { items: [alert] } = (await full.get(`/api/catalog/alerts?minPosition=${await full.head()}`, full.admin)).json() as { items: Array<Record<string, any>> };
    expect(alert).toMatchObject({
      conflict: 'changed-in-pos', sku: 'SH-00005', posItemId: variant.legacyResourceId, status: 'open', actions: ['keep', 'push'],
      ours: { price: 2500, title: 'Shirt 1 - Medium' }, theirs: { price: 9900, posUpdatedAt: variant.updatedAt },
    });
    // A retry by hand compares again: still not overwritten, still one alert.
    await ok(full.post(`/api/pos/product-pushes/${encodeURIComponent(failed!.id)}/retry`, full.admin), 202);
    await ok(full.post(`/api/pos/product-pushes/${encodeURIComponent(failed!.id)}/retry`, full.admin), 409);
    await push();
    expect(variant.price).toBe('99.00');
    expect((await full.get(`/api/catalog/alerts?minPosition=${await full.head()}`, full.admin)).json().items).toHaveLength(1);
    // One click: Stocktide's version goes over the POS version the alert showed.
    await ok(full.post('/api/catalog/alerts/resolve', full.admin, { connectionId: 'shop', conflictId: alert!.conflictId, resolution: 'push' }));
    await push();
    expect(variant.price).toBe('25.00');
    expect(await job('shop', 'SH-00005')).toMatchObject({ status: 'delivered', result: 'updated' });
    expect(await job('shop', 'SH-00005')).not.toHaveProperty('observed');
  });

  it('keep: Stocktide takes the POS version and pushes nothing back', async () => {
    const variant = shopify.variants[6]!;
    shopify.editInPos(variant.legacyResourceId, { productTitle: 'Shirt one', price: '31.00' });
    await ok(full.call('PATCH', '/api/products/SH-00006', full.admin, { price: 3000 }));
    await push();
    const { items } = (await full.get(`/api/catalog/alerts?minPosition=${await full.head()}`, full.admin)).json() as { items: Array<Record<string, any>> };
    const alert = items.find((a) => a.sku === 'SH-00006')!;
    expect(alert.theirs).toMatchObject({ title: 'Shirt one - Large', price: 3100 });
    const writesBefore = writes(shopify);
    const resolved = await ok(full.post('/api/catalog/alerts/resolve', full.admin, { connectionId: 'shop', conflictId: alert.conflictId, resolution: 'keep' }));
    const product = (await full.get(`/api/products?sku=SH-00006&minPosition=${resolved['position']}`, full.admin)).json().items[0];
    expect(product).toMatchObject({ name: 'Shirt one - Large', price: 3100 });
    await push();
    expect(writes(shopify)).toBe(writesBefore);
  });

  it('links a product made by hand in Shopify with the same SKU, and does not overwrite its other details', async () => {
    const hand = { ...shopify.variants[0]!, legacyResourceId: '8100000000000999981', sku: 'HAND-1', title: 'Default Title', price: '7.00', barcode: null,
      product: { legacyResourceId: '8100000000000777781', title: 'Hand-made mug' }, inventoryItem: { legacyResourceId: '8100000000000888781', unitCost: null } };
    shopify.variants.push(hand);
    const writesBefore = writes(shopify);
    await ok(full.post('/api/products', full.admin, { sku: 'HAND-1', name: 'Mug' }), 201);
    await push();
    expect(writes(shopify)).toBe(writesBefore);
    expect(await job('shop', 'HAND-1')).toMatchObject({ status: 'failed', result: 'conflict', posItemId: hand.legacyResourceId, observed: { title: 'Hand-made mug', price: 700 } });
    const items = (await full.get(`/api/pos/connections/shop/items?minPosition=${await full.head()}`, full.admin)).json().items as Array<{ posItemId: string; sku: string }>;
    expect(items).toContainEqual(expect.objectContaining({ posItemId: hand.legacyResourceId, sku: 'HAND-1' }));
  });

  it('retries a push Shopify could not take (503) with backoff; a pending job is not retried by hand', async () => {
    await ok(full.call('PATCH', '/api/products/SH-00007', full.admin, { price: 4100 }));
    shopify.failNext = 1;
    await push();
    const pending = await job('shop', 'SH-00007');
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending!.lastError).toContain('503');
    expect(Date.parse(pending!.nextAttemptAt)).toBeGreaterThan(Date.now());
    await ok(full.post(`/api/pos/product-pushes/${encodeURIComponent(pending!.id)}/retry`, full.admin), 409);
    expect(shopify.variants[7]!.price).not.toBe('41.00');
  });
});

describe('product push to Square', () => {
  const item = (id: string, name: string, variations: Array<{ id: string; sku: string; name: string; amount: number }>) => ({
    type: 'ITEM', id, updated_at: '2024-06-01T00:00:00.000Z', version: 1, is_deleted: false, present_at_all_locations: true,
    item_data: {
      name, variations: variations.map((v, i) => ({
        type: 'ITEM_VARIATION', id: v.id, updated_at: '2024-06-01T00:00:00.000Z', version: 1, is_deleted: false,
        item_variation_data: { item_id: id, name: v.name, sku: v.sku, ordinal: i, pricing_type: 'FIXED_PRICING', price_money: { amount: v.amount, currency: 'USD' } },
      })),
    },
  });
  const upserts = () => square.calls.filter((c) => c.method === 'POST' && c.path === '/v2/catalog/object');

  beforeAll(async () => {
    square.catalog = [item('ITEM-T', 'Tea', [{ id: 'VAR-T-MUG', sku: 'TEA-MUG', name: 'Mug', amount: 450 }, { id: 'VAR-T-POT', sku: 'TEA-POT', name: 'Pot', amount: 1200 }])];
    await ok(full.post('/api/pos/connections', full.admin, {
      id: 'sq', kind: 'square', secret: 'sq-secret-12', notificationUrl: 'https://example.test/pos/sq/webhook', locationMap: {}, apiBaseUrl: square.baseUrl, accessToken: SQUARE_TOKEN,
    }), 201);
    await ok(full.post('/api/pos/connections/sq/imports', full.admin, { scope: ['catalog'] }), 202);
    const [imported] = (await full.get('/api/pos/imports?connectionId=sq', full.admin)).json().items as Array<{ id: string }>;
    await full.built.services.catalog.imports.settled(imported!.id);
    await ok(full.call('PUT', '/api/pos/connections/sq/product-push', full.admin, { enabled: true }));
  });

  it('creates an item with its variation (idempotency key, price in the currency) and links it', async () => {
    await ok(full.post('/api/products', full.admin, { sku: 'CUP-1', name: 'Travel cup' }), 201);
    await ok(full.call('PATCH', '/api/products/CUP-1', full.admin, { price: 899 }));
    await push();
    const [create] = upserts();
    const sent = JSON.parse(create!.body!) as { idempotency_key: string; object: Record<string, any> };
    expect(sent.idempotency_key).toMatch(/^[0-9a-f]{45}$/);
    expect(sent.object).toMatchObject({
      type: 'ITEM', id: '#stocktide-item',
      item_data: { name: 'Travel cup', variations: [{ type: 'ITEM_VARIATION', item_variation_data: { name: 'Regular', sku: 'CUP-1', pricing_type: 'FIXED_PRICING', price_money: { amount: 899, currency: 'USD' } } }] },
    });
    const made = await job('sq', 'CUP-1');
    expect(made).toMatchObject({ status: 'delivered', result: 'created', posItemId: 'SQ-VAR-NEW-1-0' });
    const items = (await full.get(`/api/pos/connections/sq/items?minPosition=${await full.head()}`, full.admin)).json().items as Array<{ posItemId: string; sku: string }>;
    expect(items).toContainEqual(expect.objectContaining({ posItemId: 'SQ-VAR-NEW-1-0', sku: 'CUP-1' }));
    await push();
    expect(upserts()).toHaveLength(1);
  });

  it('updates a variation with the versions it read; a change made in Square meanwhile raises an alert instead', async () => {
    await ok(full.call('PATCH', '/api/products/TEA-MUG', full.admin, { price: 500 }));
    await push();
    expect(await job('sq', 'TEA-MUG')).toMatchObject({ status: 'delivered', result: 'updated' });
    expect(upserts()).toHaveLength(2);
    const sent = JSON.parse(upserts()[1]!.body!) as { object: Record<string, any> };
    expect(sent.object).toMatchObject({ id: 'ITEM-T', version: 1 });
    expect((square.catalog[0] as Record<string, any>)['item_data'].variations.map((v: Record<string, any>) => v.item_variation_data.price_money.amount)).toEqual([500, 1200]);
    // The pot's link took the new version of the item it shares with the mug: pushing it is no conflict.
    await ok(full.call('PATCH', '/api/products/TEA-POT', full.admin, { price: 1300 }));
    await push();
    expect(await job('sq', 'TEA-POT')).toMatchObject({ status: 'delivered', result: 'updated' });

    square.editInPos('ITEM-T', (it) => { it['item_data'].name = 'Green tea'; });
    await ok(full.call('PATCH', '/api/products/TEA-MUG', full.admin, { price: 550 }));
    await push();
    expect(upserts()).toHaveLength(3);
    expect(await job('sq', 'TEA-MUG')).toMatchObject({ status: 'failed', result: 'conflict', observed: { title: 'Green tea - Mug', price: 500 } });
    const alerts = (await full.get(`/api/catalog/alerts?connectionId=sq&minPosition=${await full.head()}`, full.admin)).json().items as Array<Record<string, any>>;
    expect(alerts).toEqual([expect.objectContaining({ conflict: 'changed-in-pos', sku: 'TEA-MUG', theirs: expect.objectContaining({ title: 'Green tea - Mug' }) })]);
  });
});
