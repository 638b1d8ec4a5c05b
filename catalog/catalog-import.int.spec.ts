/**
 * Issue 14, done when (against a fake Shopify GraphQL Admin API on 127.0.0.1): a store of 2,000
 * variants across 3 locations is imported, every product registered and every mapping derived;
 * a sale webhook applies with no hand-made map; a rename in the POS reaches the catalog; a SKU
 * clash raises a catalog alert; a second import appends no event. Categories: Shopify's product
 * type becomes the product's category (trimmed), following the connection's names rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopifyOrder } from '../pos/testing/fixtures';
import { generateShopifyStore, SHOPIFY_TOKEN, startFakeShopifyAdmin, type FakeShopifyAdmin } from '../pos/testing/fake-shopify-admin';
import { startFullApp, type FullApp } from '../server/testing/full-app';
import { openSse } from '../server/testing/sse-client';
import { deliverShopify, SHOPIFY_SECRET, shopifyProductBody } from './testing/shopify-webhooks';

let full: FullApp;
let shopify: FakeShopifyAdmin;
let importId: string;

const importAndWait = async (body: Record<string, unknown>) => {
  const res = await full.post('/api/pos/connections/shop/imports', full.admin, body);
  expect(res.statusCode, res.body).toBe(202);
  const { id } = res.json() as { id: string };
  await full.built.services.catalog.imports.settled(id);
  return (await full.get(`/api/pos/imports/${id}`, full.admin)).json() as {
    id: string; status: string; progress: { done: number; total: number }; counts: Record<string, number>; problems: Array<{ item: string; reason: string }>; position?: string;
  };
};

beforeAll(async () => {
  const store = generateShopifyStore(2000, 3);
  // Shirt 4 (SH-00016..19) has a product type, padded as a merchant might type it; the others have none.
  for (const v of store.variants) if (v.product.title === 'Shirt 4') v.product.productType = '  T-Shirts ';
  shopify = await startFakeShopifyAdmin(store);
  full = await startFullApp({ listen: true });
  const res = await full.post('/api/pos/connections', full.admin, {
    id: 'shop', kind: 'shopify', secret: SHOPIFY_SECRET, locationMap: {}, apiBaseUrl: shopify.baseUrl, accessToken: SHOPIFY_TOKEN,
  });
  expect(res.statusCode, res.body).toBe(201);
}, 60_000);

afterAll(async () => {
  await full?.close();
  await shopify?.close();
});

describe('importing a Shopify store', () => {
  it('registers every product, creates the 3 locations and derives every mapping', async () => {
    const job = await importAndWait({ scope: ['locations', 'catalog'], createLocations: true });
    importId = job.id;
    expect(job.status).toBe('done');
    expect(job.progress).toEqual({ done: 2003, total: 2003 });
    expect(job.counts).toMatchObject({ 'locations.created': 3, 'catalog.registered': 2000, 'catalog.linked': 2000, 'catalog.unmapped': 0 });
    expect(job.problems).toEqual([]);
    const products = (await full.get(`/api/products?minPosition=${job.position}`, full.admin)).json() as { items: Array<{ sku: string; name: string; price?: number; barcodes?: string[] }> };
    expect(products.items).toHaveLength(2000);
    expect(products.items.find((p) => p.sku === 'SH-00017')).toEqual({ sku: 'SH-00017', name: 'Shirt 4 - Medium', price: 2717, barcodes: ['4000000000174'], unitCost: 750, category: 'T-Shirts' });
    expect(products.items.find((p) => p.sku === 'SH-00021')).not.toHaveProperty('category');
    const tShirts = (await full.get(`/api/products?category=T-Shirts&minPosition=${job.position}`, full.admin)).json() as { items: Array<{ sku: string }> };
    expect(tShirts.items.map((p) => p.sku)).toEqual(['SH-00016', 'SH-00017', 'SH-00018', 'SH-00019']);
    const items = (await full.get('/api/pos/connections/shop/items', full.admin)).json() as { items: Array<{ posItemId: string; sku: string; aliases: string[] }> };
    expect(items.items).toHaveLength(2000);
    const v17 = shopify.variants[17]!;
    expect(items.items.find((i) => i.posItemId === v17.legacyResourceId)).toMatchObject({ sku: 'SH-00017', aliases: [v17.inventoryItem.legacyResourceId] });
    const connection = (await full.get('/api/pos/connections/shop', full.admin)).json() as { locationMap: Record<string, string>; skuMap: Record<string, string> };
    expect(Object.keys(connection.locationMap)).toHaveLength(3);
    expect(connection.skuMap).toEqual({});
  }, 120_000);

  it('finds a product by its barcode in UPC-A or EAN-13 form', async () => {
    const upcA = (await full.get('/api/products?barcode=4000000000174', full.admin)).json() as { items: Array<{ sku: string }> };
    expect(upcA.items.map((p) => p.sku)).toEqual(['SH-00017']);
    expect((await full.get('/api/products?barcode=0012345678905', full.admin)).json().items).toEqual([]);
  });

  it('applies a sale webhook for an imported variant with no hand-made map', async () => {
    const v = shopify.variants[17]!;
    const location = shopify.locations[1]!.legacyResourceId;
    const body = shopifyOrder({ id: '5678901234567890999', locationId: location, lines: [{ id: '13012345678901239999', variantId: v.legacyResourceId, sku: null, quantity: 2 }] });
    const res = await deliverShopify(full.app, 'shop', 'orders/create', body, 'evt-sale-1');
    expect(res.statusCode, res.body).toBe(200);
    const { position } = res.json() as { position: string };
    const stock = (await full.get(`/api/stock?sku=SH-00017&minPosition=${position}`, full.admin)).json() as { items: Array<{ locationId: string; onHand: number }> };
    expect(stock.items).toEqual([expect.objectContaining({ locationId: `shop-${location}`, onHand: -2 })]);
  });

  it('takes a rename in the POS into the catalog and onto an open dashboard (SSE)', async () => {
    const sse = await openSse(`${full.built.url}/api/catalog/stream`, full.admin);
    expect(sse.status).toBe(200);
    const variants = shopify.variants.slice(16, 20);
    const res = await deliverShopify(full.app, 'shop', 'products/update', shopifyProductBody(variants[0]!.product.legacyResourceId, 'Shirt <b>four</b>', variants), 'evt-rename-1');
    expect(res.statusCode, res.body).toBe(200);
    const { position } = res.json() as { position: string };
    const product = (await full.get(`/api/products?sku=SH-00017&minPosition=${position}`, full.admin)).json() as { items: Array<{ name: string }> };
    expect(product.items[0]!.name).toBe('Shirt <b>four</b> - Medium');
    const pushed = await sse.waitFor((e) => e.event === 'product' && e.data.sku === 'SH-00017', 5000);
    expect(pushed.data).toMatchObject({ name: 'Shirt <b>four</b> - Medium' });
    sse.close();
    // The same delivery again, and an older version arriving late, change nothing.
    const before = await full.head();
    expect((await deliverShopify(full.app, 'shop', 'products/update', shopifyProductBody(variants[0]!.product.legacyResourceId, 'Shirt <b>four</b>', variants), 'evt-rename-1')).json()).toMatchObject({ duplicate: true });
    await deliverShopify(full.app, 'shop', 'products/update', shopifyProductBody(variants[0]!.product.legacyResourceId, 'Shirt 4', variants, '2024-06-01T09:00:00-04:00'), 'evt-rename-0');
    expect(await full.head()).toBe(before);
  });

  it('takes the POS category over a hand-set one only where the POS wins names; it fills an empty one either way', async () => {
    const variants = shopify.variants.slice(24, 28).map((v) => ({ ...v, product: { ...v.product, productType: 'Tees' } }));
    const productId = variants[0]!.product.legacyResourceId;
    const categories = async (position: string) => ((await full.get(`/api/products?minPosition=${position}`, full.admin)).json() as { items: Array<{ sku: string; category?: string }> })
      .items.filter((p) => ['SH-00024', 'SH-00025'].includes(p.sku)).map((p) => [p.sku, p.category]);
    expect((await full.call('PUT', '/api/products/SH-00024/category', full.admin, { category: 'Gifts' })).statusCode).toBe(200);
    expect((await full.call('PUT', '/api/pos/connections/shop/catalog-policy', full.admin, { names: 'stocktide', prices: 'pos' })).statusCode).toBe(200);
    const kept = await deliverShopify(full.app, 'shop', 'products/update', shopifyProductBody(productId, 'Shirt 6', variants, '2024-06-03T09:00:00Z'), 'evt-type-1');
    expect(kept.statusCode, kept.body).toBe(200);
    expect(await categories(kept.json().position)).toEqual([['SH-00024', 'Gifts'], ['SH-00025', 'Tees']]);
    expect((await full.call('PUT', '/api/pos/connections/shop/catalog-policy', full.admin, { names: 'pos', prices: 'pos' })).statusCode).toBe(200);
    const taken = await deliverShopify(full.app, 'shop', 'products/update', shopifyProductBody(productId, 'Shirt 6', variants, '2024-06-04T09:00:00Z'), 'evt-type-2');
    expect(taken.statusCode, taken.body).toBe(200);
    expect(await categories(taken.json().position)).toEqual([['SH-00024', 'Tees'], ['SH-00025', 'Tees']]);
  });

  it('raises a catalog alert when a new POS item carries a SKU another item has', async () => {
    const clone = { ...shopify.variants[5]!, legacyResourceId: '8100000000000999999', barcode: null, inventoryItem: { legacyResourceId: '8100000000000888888', unitCost: null } };
    const res = await deliverShopify(full.app, 'shop', 'products/create', shopifyProductBody('8100000000000777777', 'Copy', [clone]), 'evt-clash-1');
    expect(res.statusCode, res.body).toBe(200);
    const { position } = res.json() as { position: string };
    const alerts = (await full.get(`/api/catalog/alerts?minPosition=${position}`, full.admin)).json() as { items: Array<Record<string, unknown>> };
    expect(alerts.items).toEqual([expect.objectContaining({
      conflict: 'sku-clash', sku: 'SH-00005', posItemId: '8100000000000999999', status: 'open', actions: ['keep', 'merge', 'rename'],
      ours: expect.objectContaining({ posItemId: shopify.variants[5]!.legacyResourceId }), theirs: expect.objectContaining({ posItemId: '8100000000000999999' }),
    })]);
    // One click: merge maps the new item to the same SKU too.
    const resolved = await full.post('/api/catalog/alerts/resolve', full.admin, { connectionId: 'shop', conflictId: alerts.items[0]!.conflictId, resolution: 'merge' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const again = await full.post('/api/catalog/alerts/resolve', full.admin, { connectionId: 'shop', conflictId: alerts.items[0]!.conflictId, resolution: 'keep' });
    expect(again.statusCode).toBe(409);
  });

  it('changes nothing when the same store is imported again', async () => {
    const before = await full.head();
    const job = await importAndWait({ scope: ['locations', 'catalog'], createLocations: true });
    expect(job.status).toBe('done');
    expect(job.counts).toMatchObject({ 'catalog.registered': 0, 'catalog.updated': 0, 'catalog.linked': 0, 'catalog.conflicts': 0 });
    expect(await full.head()).toBe(before);
    expect(job.id).not.toBe(importId);
  }, 120_000);
});
