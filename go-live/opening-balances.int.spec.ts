/**
 * Issue 17, opening balances (against fakes on 127.0.0.1): a Shopify shop with 3 locations and
 * 2,000 variants is imported (catalog, then balances as of T) and every (location, SKU) balance
 * equals the POS's on_hand; a second import appends nothing; a sale one minute before T,
 * delivered after the import, leaves the balance as it was, a sale after T moves it; a Square
 * merchant with 2 locations imports the same way; a warehouse takes its opening stock from CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShopifyStore, SHOPIFY_TOKEN, startFakeShopifyAdmin, type FakeShopifyAdmin } from '../pos/testing/fake-shopify-admin';
import { SQUARE_TOKEN, startFakeSquareApi, type FakeSquareApi } from '../pos/testing/fake-square-api';
import { shopifyOrder } from '../pos/testing/fixtures';
import { startFullApp, type FullApp } from '../server/testing/full-app';
import { startReconciliationJob } from '../pos/reconciliation/reconciliation-job';
import { deliverShopify, SHOPIFY_SECRET } from '../catalog/testing/shopify-webhooks';

let full: FullApp;
let shopify: FakeShopifyAdmin;
let square: FakeSquareApi;
const T = new Date(Date.now() - 10 * 60_000).toISOString();
const minutes = (m: number) => new Date(Date.parse(T) + m * 60_000).toISOString();

type Job = { id: string; status: string; progress: { done: number; total: number }; counts: Record<string, number>; problems: Array<{ item: string; reason: string }>; error?: string; position?: string };
const importAndWait = async (connectionId: string, body: Record<string, unknown>): Promise<Job> => {
  const res = await full.post(`/api/pos/connections/${connectionId}/imports`, full.admin, body);
  expect(res.statusCode, res.body).toBe(202);
  const { id } = res.json() as { id: string };
  await full.built.services.catalog.imports.settled(id);
  return (await full.get(`/api/pos/imports/${id}`, full.admin)).json() as Job;
};
const stockAt = async (locationId: string, minPosition: string) => {
  const res = await full.get(`/api/stock?locationId=${locationId}&minPosition=${minPosition}`, full.admin);
  return new Map((res.json() as { items: Array<{ sku: string; onHand: number; value?: number }> }).items.map((i) => [i.sku, i]));
};

beforeAll(async () => {
  shopify = await startFakeShopifyAdmin(generateShopifyStore(2000, 3));
  square = await startFakeSquareApi();
  full = await startFullApp();
  expect((await full.post('/api/pos/connections', full.admin, {
    id: 'shop', kind: 'shopify', secret: SHOPIFY_SECRET, locationMap: {}, apiBaseUrl: shopify.baseUrl, accessToken: SHOPIFY_TOKEN,
  })).statusCode).toBe(201);
}, 60_000);

afterAll(async () => {
  await full?.close();
  await shopify?.close();
  await square?.close();
});

describe('opening balances from Shopify', () => {
  let job: Job;

  it('imports catalog then balances, and every (location, SKU) equals the POS on_hand', async () => {
    job = await importAndWait('shop', { scope: ['locations', 'catalog', 'balances'], asOf: T, createLocations: true });
    expect(job.status, job.error).toBe('done');
    expect(job.counts).toMatchObject({ 'catalog.registered': 2000, 'balances.lines': 6000, 'balances.imported': 6000, 'balances.unchanged': 0 });
    for (const location of shopify.locations) {
      const stock = await stockAt(`shop-${location.legacyResourceId}`, job.position!);
      for (const v of shopify.variants) {
        const expected = shopify.onHand[v.inventoryItem.legacyResourceId]![location.legacyResourceId]!;
        expect(stock.get(v.sku!)?.onHand ?? 0, `${v.sku} at ${location.legacyResourceId}`).toBe(expected);
      }
    }
    // Valued at the POS's unit cost (FIFO starts right): SH-00001 costs 5.50, 7 units at the first location.
    const first = await stockAt(`shop-${shopify.locations[0]!.legacyResourceId}`, job.position!);
    expect(first.get('SH-00001')).toMatchObject({ onHand: 7, value: 7 * 550 });
  }, 180_000);

  it('changes nothing when imported again with the same cut-over', async () => {
    const before = await full.head();
    const again = await importAndWait('shop', { scope: ['locations', 'catalog', 'balances'], asOf: T, createLocations: true });
    expect(again.status).toBe('done');
    expect(again.counts).toMatchObject({ 'balances.imported': 0, 'balances.unchanged': 6000 });
    expect(await full.head()).toBe(before);
  }, 180_000);

  it('refuses a second import at another cut-over: the import fails naming the T to use, nothing is appended', async () => {
    const before = await full.head();
    const other = await importAndWait('shop', { scope: ['balances'], asOf: minutes(1) });
    expect(other.status).toBe('failed');
    expect(other.error).toContain(`as of ${T}`);
    expect(other.error).toContain('same asOf');
    expect(await full.head()).toBe(before);
    const location = `shop-${shopify.locations[0]!.legacyResourceId}`;
    expect((await full.get(`/api/locations/${location}/readiness`, full.admin)).json()).toMatchObject({ openingAsOf: T });
  }, 60_000);

  it('tests the connection with one call to the POS: its locations and what they map to', async () => {
    const before = await full.head();
    const res = await full.post('/api/pos/connections/shop/test', full.admin);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      ok: true, kind: 'shopify',
      locations: shopify.locations.map((l) => ({ posLocationId: l.legacyResourceId, name: l.name, active: l.isActive, locationId: `shop-${l.legacyResourceId}` })),
    });
    expect(await full.head()).toBe(before); // a test writes nothing
    expect((await full.post('/api/pos/connections', full.admin, {
      id: 'shop-badtoken', kind: 'shopify', secret: SHOPIFY_SECRET, locationMap: {}, apiBaseUrl: shopify.baseUrl, accessToken: 'shpat_wrong',
    })).statusCode).toBe(201);
    const refused = await full.post('/api/pos/connections/shop-badtoken/test', full.admin);
    expect(refused.json()).toEqual({ ok: false, kind: 'shopify', error: 'Shopify answered 401' });
    const unknown = await full.post('/api/pos/connections/nope/test', full.admin);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const manager = await full.tokenFor('manager', [`shop-${shopify.locations[0]!.legacyResourceId}`]);
    expect((await full.post('/api/pos/connections/shop/test', manager)).statusCode).toBe(403);
  });

  it('does not subtract a sale from before T twice, and applies a sale after T', async () => {
    const v = shopify.variants[1]!;
    const location = shopify.locations[0]!.legacyResourceId;
    const sale = (id: string, at: string) => shopifyOrder({ id, createdAt: at, locationId: location, lines: [{ id: `1301234567890${id.slice(-7)}`, variantId: v.legacyResourceId, sku: null, quantity: 2 }] });
    const late = await deliverShopify(full.app, 'shop', 'orders/create', sale('5678901234560000001', minutes(-1)), 'evt-late');
    expect(late.statusCode, late.body).toBe(200);
    expect((await stockAt(`shop-${location}`, late.json().position)).get('SH-00001')!.onHand).toBe(7);
    const after = await deliverShopify(full.app, 'shop', 'orders/create', sale('5678901234560000002', minutes(1)), 'evt-after');
    expect(after.statusCode, after.body).toBe(200);
    expect((await stockAt(`shop-${location}`, after.json().position)).get('SH-00001')!.onHand).toBe(5);
    // The late sale is recorded and shown, not lost.
    const movements = (await full.get(`/api/movements?locationId=shop-${location}&sku=SH-00001&minPosition=${after.json().position}`, full.admin)).json() as { items: Array<{ type: string }> };
    expect(movements.items.filter((m) => m.type === 'sale')).toHaveLength(2);
  });
});

describe('opening balances from Square', () => {
  it('imports a merchant with 2 locations the same way', async () => {
    square.locations = [{ id: 'LA', name: 'A', status: 'ACTIVE' }, { id: 'LB', name: 'B', status: 'ACTIVE' }];
    square.catalog = Array.from({ length: 30 }, (_, i) => ({
      type: 'ITEM', id: `IT${i}`, updated_at: '2024-06-01T00:00:00.000Z', is_deleted: false,
      item_data: { name: `Mug ${i}`, variations: [{ type: 'ITEM_VARIATION', id: `VA${i}`, is_deleted: false, item_variation_data: { item_id: `IT${i}`, name: 'Regular', sku: `MUG-${i}`, price_money: { amount: 900, currency: 'USD' }, default_unit_cost: { amount: 300, currency: 'USD' } } }] },
    }));
    square.counts = [
      ...Array.from({ length: 30 }, (_, i) => ({ catalog_object_id: `VA${i}`, catalog_object_type: 'ITEM_VARIATION', state: 'IN_STOCK', location_id: 'LA', quantity: String(i), calculated_at: T })),
      { catalog_object_id: 'VA1', catalog_object_type: 'ITEM_VARIATION', state: 'IN_STOCK', location_id: 'LB', quantity: '-3', calculated_at: T },
      { catalog_object_id: 'VA2', catalog_object_type: 'ITEM_VARIATION', state: 'IN_STOCK', location_id: 'LB', quantity: '4', calculated_at: T },
    ];
    expect((await full.post('/api/pos/connections', full.admin, {
      id: 'sq', kind: 'square', secret: 'sq-secret', notificationUrl: 'https://example.test/pos/sq/webhook', locationMap: {}, apiBaseUrl: square.baseUrl, accessToken: SQUARE_TOKEN,
    })).statusCode).toBe(201);
    const job = await importAndWait('sq', { scope: ['locations', 'catalog', 'balances'], asOf: T, createLocations: true });
    expect(job.status, job.error).toBe('done');
    expect(job.counts).toMatchObject({ 'balances.imported': 31, 'balances.invalidQuantity': 1 });
    expect(job.problems).toContainEqual({ item: 'MUG-1 at sq-LB', reason: 'the POS says -3: left out, not clamped' });
    const a = await stockAt('sq-LA', job.position!);
    expect(a.get('MUG-29')).toMatchObject({ onHand: 29, value: 29 * 300 });
    expect((await stockAt('sq-LB', job.position!)).get('MUG-2')!.onHand).toBe(4);

    // The reconciliation that exists compares POS totals through the derived map: the readiness report shows it.
    await full.built.services.runner.waitForPosition(BigInt(job.position!), 5000);
    square.counts = [{ catalog_object_id: 'VA5', catalog_object_type: 'ITEM_VARIATION', state: 'IN_STOCK', location_id: 'LA', quantity: '3', calculated_at: T }];
    const { services } = full.built;
    const job2 = startReconciliationJob({ commands: services.commands, connections: services.posStore, intervalMs: 3_600_000, mapping: services.catalog.posHooks.mapping });
    const [run] = await job2.runOnce();
    job2.stop();
    expect(run).toMatchObject({ connectionId: 'sq', reconciled: 1 });
    await services.runner.waitForPosition(BigInt(run!.position!), 5000);
    const readiness = (await full.get('/api/locations/sq-LA/readiness', full.admin)).json();
    expect(readiness).toMatchObject({ mode: 'live', lastComparison: { skusDiffering: 1, unitsDiffering: 2 } });
    expect(readiness.differences).toEqual([expect.objectContaining({ sku: 'MUG-5', posQuantity: 3, ourQuantity: 5, difference: -2 })]);
  }, 60_000);
});

describe('opening balances from CSV', () => {
  it('keeps good rows, lists every bad one with its line, and a re-import changes nothing', async () => {
    expect((await full.post('/api/locations', full.admin, { id: 'wh-1', name: 'Warehouse', type: 'warehouse' })).statusCode).toBe(201);
    const csv = ['location,sku,quantity,unitCost', 'wh-1,SH-00010,120,450', 'wh-1,NOPE,3,100', 'wh-9,SH-00011,3,', 'wh-1,SH-00012,2.5,100', 'wh-1,SH-00010,7,100', 'wh-1,SH-00013,40,'].join('\n');
    // The preview: the same checks, nothing appended.
    const start = await full.head();
    const preview = await full.app.inject({ method: 'POST', url: `/api/stock/opening-balances?dryRun=true&asOf=${encodeURIComponent(T)}`, headers: { ...full.admin, 'content-type': 'text/csv' }, payload: csv });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ dryRun: true, valid: 2, imported: 0 });
    expect((preview.json() as { errors: Array<{ line: number }> }).errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(await full.head()).toBe(start);
    const post = () => full.app.inject({ method: 'POST', url: `/api/stock/opening-balances?asOf=${encodeURIComponent(T)}`, headers: { ...full.admin, 'content-type': 'text/csv' }, payload: csv });
    const res = await post();
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { imported: number; unchanged: number; errors: Array<{ line: number; message: string }>; position: string };
    expect(body.imported).toBe(2);
    expect(body.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(body.errors[0]!.message).toContain('unknown SKU');
    expect(body.errors[3]!.message).toContain('duplicate of line 2');
    const stock = await stockAt('wh-1', body.position);
    expect(stock.get('SH-00010')).toMatchObject({ onHand: 120, value: 120 * 450 });
    expect(stock.get('SH-00013')!.onHand).toBe(40);
    const before = await full.head();
    const again = (await post()).json() as { imported: number; unchanged: number };
    expect(again).toMatchObject({ imported: 0, unchanged: 2 });
    expect(await full.head()).toBe(before);
    // Another cut-over for the same warehouse: refused whole, naming the field and the T to use.
    const later = new Date(Date.parse(T) + 60_000).toISOString();
    const moved = await full.app.inject({ method: 'POST', url: `/api/stock/opening-balances?asOf=${encodeURIComponent(later)}`, headers: { ...full.admin, 'content-type': 'text/csv' }, payload: csv });
    expect(moved.statusCode, moved.body).toBe(409);
    expect(moved.headers['content-type']).toContain('application/problem+json');
    expect(moved.json().errors).toEqual([expect.objectContaining({ instancePath: '/asOf', established: T, locationId: 'wh-1' })]);
    const json = await full.post('/api/stock/opening-balances', full.admin, { asOf: later, lines: [{ locationId: 'wh-1', sku: 'SH-00010', quantity: 1 }] });
    expect(json.statusCode).toBe(409);
    expect(await full.head()).toBe(before);
    const allBad = await full.app.inject({ method: 'POST', url: '/api/stock/opening-balances', headers: { ...full.admin, 'content-type': 'text/csv' }, payload: 'location,sku,quantity\nwh-1,NOPE,1' });
    expect(allBad.statusCode).toBe(400);
    expect(allBad.headers['content-type']).toContain('application/problem+json');
    expect(await full.head()).toBe(before);
  });
});
