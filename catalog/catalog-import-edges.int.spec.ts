/**
 * Catalog import edges: a page that fails mid-import resumes where it stopped (no page applied
 * twice, nothing lost); items without a usable SKU are listed, never invented; HTML in titles is
 * kept as text; barcodes are unique; a Square merchant imports the same way and its
 * `catalog.version.updated` brings changes in; quarantined sales are retried in one action.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShopifyStore, SHOPIFY_TOKEN, startFakeShopifyAdmin, type FakeShopifyAdmin } from '../pos/testing/fake-shopify-admin';
import { SQUARE_TOKEN, startFakeSquareApi, type FakeSquareApi } from '../pos/testing/fake-square-api';
import { shopifyOrder } from '../pos/testing/fixtures';
import { startFullApp, type FullApp } from '../server/testing/full-app';
import { deliverShopify, SHOPIFY_SECRET } from './testing/shopify-webhooks';

let full: FullApp;
let shopify: FakeShopifyAdmin;
let square: FakeSquareApi;

type Job = { id: string; status: string; progress: { done: number; total: number }; counts: Record<string, number>; problems: Array<{ item: string; reason: string }>; error?: string; position?: string; quarantine: { open: number; retry: string } };
const job = async (id: string) => (await full.get(`/api/pos/imports/${id}`, full.admin)).json() as Job;
const start = async (connectionId: string, body: Record<string, unknown>) => {
  const res = await full.post(`/api/pos/connections/${connectionId}/imports`, full.admin, body);
  expect(res.statusCode, res.body).toBe(202);
  const { id } = res.json() as { id: string };
  await full.built.services.catalog.imports.settled(id);
  return job(id);
};

beforeAll(async () => {
  const store = generateShopifyStore(600, 1);
  store.variants[3]!.sku = null; // no SKU: unmapped
  store.variants[4]!.sku = 'has space'; // not a Stocktide SKU
  store.variants[5]!.product.title = '<script>alert(1)</script> Shirt';
  store.variants[6]!.barcode = 'NOT-A-GTIN';
  shopify = await startFakeShopifyAdmin(store);
  square = await startFakeSquareApi();
  full = await startFullApp();
  for (const body of [
    { id: 'shop', kind: 'shopify', secret: SHOPIFY_SECRET, locationMap: {}, apiBaseUrl: shopify.baseUrl, accessToken: SHOPIFY_TOKEN },
    { id: 'sq', kind: 'square', secret: 'sq-secret', notificationUrl: 'https://example.test/pos/sq/webhook', locationMap: {}, apiBaseUrl: square.baseUrl, accessToken: SQUARE_TOKEN },
    { id: 'bare', kind: 'shopify', secret: 'x-secret-1', locationMap: {} },
  ]) expect((await full.post('/api/pos/connections', full.admin, body)).statusCode).toBe(201);
}, 60_000);

afterAll(async () => {
  await full?.close();
  await shopify?.close();
  await square?.close();
});

describe('catalog import edges', () => {
  it('fails on a page that keeps failing, keeps its cursor, and resumes there without applying a page twice', async () => {
    shopify.failWhen = (call) => call.query.includes('productVariants(') && call.cursor !== null && Buffer.from(call.cursor, 'base64').toString().endsWith(':500');
    const failed = await start('shop', { scope: ['catalog'] });
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('503');
    expect(failed.progress.done).toBe(500);
    const variantCallsBefore = shopify.calls.filter((c) => c.query.includes('productVariants(')).length;
    shopify.failWhen = undefined;
    const res = await full.post(`/api/pos/imports/${failed.id}/resume`, full.admin);
    expect(res.statusCode, res.body).toBe(202);
    await full.built.services.catalog.imports.settled(failed.id);
    const done = await job(failed.id);
    expect(done.status).toBe('done');
    expect(done.progress).toEqual({ done: 600, total: 600 });
    // Resumed at the page that failed: one more call, with that page's cursor.
    const after = shopify.calls.filter((c) => c.query.includes('productVariants(')).slice(variantCallsBefore);
    expect(after.map((c) => c.cursor && Buffer.from(c.cursor, 'base64').toString())).toEqual(['cursor:500']);
    expect(done.counts['catalog.registered']).toBe(598);
  }, 60_000);

  it('lists items without a usable SKU, never invents one, and keeps HTML in titles as text', async () => {
    const last = (await (await full.get('/api/pos/imports?connectionId=shop', full.admin)).json() as { items: Job[] }).items[0]!;
    expect(last.counts['catalog.unmapped']).toBe(2);
    expect(last.problems).toEqual(expect.arrayContaining([
      { item: shopify.variants[3]!.legacyResourceId, reason: expect.stringContaining('no SKU') },
      { item: shopify.variants[4]!.legacyResourceId, reason: expect.stringContaining('not a valid Stocktide SKU') },
      { item: shopify.variants[6]!.legacyResourceId, reason: expect.stringContaining('not a GTIN') },
    ]));
    const products = (await full.get(`/api/products?minPosition=${last.position}`, full.admin)).json() as { items: Array<{ sku: string; name: string }> };
    expect(products.items.some((p) => p.sku === 'has space')).toBe(false);
    expect(products.items.find((p) => p.sku === 'SH-00005')!.name).toBe('<script>alert(1)</script> Shirt - Medium');
  });

  it('keeps barcodes unique across the catalog (409) and normalises what people type (400 names the field)', async () => {
    const taken = await full.call('PUT', '/api/products/SH-00001/barcodes', full.admin, { barcodes: [shopify.variants[2]!.barcode!] });
    expect(taken.statusCode).toBe(409);
    const bad = await full.call('PUT', '/api/products/SH-00001/barcodes', full.admin, { barcodes: ['12345'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].instancePath).toBe('/barcodes/0');
    const before = await full.head();
    const ok = await full.call('PUT', '/api/products/SH-00001/barcodes', full.admin, { barcodes: ['036000291452'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await full.head()).toBe(before + 1n);
    const found = (await full.get(`/api/products?barcode=0036000291452&minPosition=${ok.json().position}`, full.admin)).json() as { items: Array<{ sku: string }> };
    expect(found.items.map((p) => p.sku)).toEqual(['SH-00001']);
  });

  it('refuses to import from a connection without API access, or an unknown one, appending nothing', async () => {
    const before = await full.head();
    expect((await full.post('/api/pos/connections/bare/imports', full.admin, { scope: ['catalog'] })).statusCode).toBe(409);
    expect((await full.post('/api/pos/connections/nope/imports', full.admin, { scope: ['catalog'] })).statusCode).toBe(404);
    expect((await full.post('/api/pos/connections/shop/imports', full.admin, { scope: ['nonsense'] })).statusCode).toBe(400);
    expect(await full.head()).toBe(before);
  });

  it('offers quarantined sales for retry once an import maps their items', async () => {
    const variant = '8100000000000077777';
    const location = shopify.locations[0]!.legacyResourceId;
    await full.call('PATCH', '/api/pos/connections/shop', full.admin, { locationMap: { [location]: 'store-x' } });
    expect((await full.post('/api/locations', full.admin, { id: 'store-x', name: 'X', type: 'store' })).statusCode).toBe(201);
    const sale = shopifyOrder({ id: '5678901234567811111', locationId: location, lines: [{ id: '13012345678901231111', variantId: variant, sku: null, quantity: 1 }] });
    expect((await deliverShopify(full.app, 'shop', 'orders/create', sale, 'evt-q-1')).statusCode).toBe(202);
    shopify.variants.push({ ...shopify.variants[10]!, legacyResourceId: variant, sku: 'NEW-1', barcode: null });
    const imported = await start('shop', { scope: ['catalog'] });
    expect(imported.quarantine.open).toBe(1);
    await full.built.services.runner.waitForPosition(BigInt(imported.position!), 5000); // the derived map is a read model
    const retried = await full.post(imported.quarantine.retry, full.admin);
    expect(retried.json()).toMatchObject({ retried: 1, released: 1 });
  }, 60_000);

  it('imports a Square merchant (locations, items and variations) and takes catalog.version.updated', async () => {
    square.locations = [{ id: 'L1', name: 'Main St', status: 'ACTIVE' }, { id: 'L2', name: 'Mall', status: 'ACTIVE' }];
    const item = (id: string, name: string, updatedAt: string, variations: Array<{ id: string; sku?: string; name: string }>) => ({
      type: 'ITEM', id, updated_at: updatedAt, version: 1, is_deleted: false, present_at_all_locations: true,
      item_data: {
        name, variations: variations.map((v, i) => ({
          type: 'ITEM_VARIATION', id: v.id, updated_at: updatedAt, version: 1, is_deleted: false,
          item_variation_data: { item_id: id, name: v.name, ...(v.sku && { sku: v.sku }), ordinal: i, pricing_type: 'FIXED_PRICING', price_money: { amount: 150 + i, currency: 'USD' } },
        })),
      },
    });
    square.catalog = Array.from({ length: 120 }, (_, i) => item(`ITEM${i}`, `Tea ${i}`, '2024-06-01T00:00:00.000Z', [{ id: `VAR${i}A`, sku: `TEA-${i}-MUG`, name: 'Mug' }, { id: `VAR${i}B`, name: 'Pot' }]));
    // Categories, named by CATEGORY objects listed after the items: the reporting category, the
    // first of `categories`, the older `category_id`; a deleted category names none.
    const category = (id: string, name: string, deleted = false) => ({ type: 'CATEGORY', id, updated_at: '2024-06-01T00:00:00.000Z', version: 1, is_deleted: deleted, category_data: { name } });
    for (let i = 0; i < 10; i++) (square.catalog[i]!['item_data'] as Record<string, unknown>)['reporting_category'] = { id: 'CAT-TEA' };
    (square.catalog[10]!['item_data'] as Record<string, unknown>)['category_id'] = 'CAT-POT';
    (square.catalog[11]!['item_data'] as Record<string, unknown>)['categories'] = [{ id: 'CAT-GIFT', ordinal: 0 }, { id: 'CAT-TEA', ordinal: 1 }];
    (square.catalog[12]!['item_data'] as Record<string, unknown>)['reporting_category'] = { id: 'CAT-OLD' };
    square.catalog.push(category('CAT-TEA', '  Loose tea '), category('CAT-POT', 'Teapots'), category('CAT-GIFT', 'Gifts'), category('CAT-OLD', 'Old', true));
    const done = await start('sq', { scope: ['locations', 'catalog'], createLocations: true });
    expect(done.status).toBe('done');
    expect(done.counts).toMatchObject({ 'locations.created': 2, 'catalog.registered': 120, 'catalog.linked': 120, 'catalog.unmapped': 120 });
    expect(square.calls.some((c) => c.path.startsWith('/v2/catalog/list?types=ITEM&cursor='))).toBe(true);
    const categoryOf = async (position: string) => new Map(((await full.get(`/api/products?minPosition=${position}`, full.admin)).json() as { items: Array<{ sku: string; category?: string }> })
      .items.filter((p) => p.category !== undefined).map((p) => [p.sku, p.category]));
    const imported = await categoryOf(done.position!);
    expect([...imported].sort()).toEqual([
      ...Array.from({ length: 10 }, (_, i) => [`TEA-${i}-MUG`, 'Loose tea']), ['TEA-10-MUG', 'Teapots'], ['TEA-11-MUG', 'Gifts'],
    ].sort());

    square.catalog[7] = item('ITEM7', 'Green tea', '2024-06-03T00:00:00.000Z', [{ id: 'VAR7A', sku: 'TEA-7-MUG', name: 'Mug' }]);
    (square.catalog[7]['item_data'] as Record<string, unknown>)['reporting_category'] = { id: 'CAT-GIFT' };
    const body = JSON.stringify({ merchant_id: 'M1', type: 'catalog.version.updated', event_id: 'evt-cat-1', created_at: '2024-06-03T00:00:01Z', data: { type: 'catalog', id: '', object: { catalog_version: { updated_at: '2024-06-03T00:00:00.000Z' } } } });
    const signature = createHmac('sha256', 'sq-secret').update('https://example.test/pos/sq/webhook' + body).digest('base64');
    const res = await full.app.inject({ method: 'POST', url: '/pos/sq/webhook', payload: body, headers: { 'content-type': 'application/json', 'x-square-hmacsha256-signature': signature } });
    expect(res.statusCode, res.body).toBe(200);
    const product = (await full.get(`/api/products?sku=TEA-7-MUG&minPosition=${res.json().position}`, full.admin)).json() as { items: Array<{ name: string }> };
    expect(product.items[0]!.name).toBe('Green tea - Mug');
    // Live sync names the new category from the search's related objects.
    expect((await categoryOf(res.json().position)).get('TEA-7-MUG')).toBe('Gifts');
    expect(JSON.parse(square.calls.filter((c) => c.path === '/v2/catalog/search').at(-1)!.body!)).toMatchObject({ include_related_objects: true });
  }, 60_000);
});
