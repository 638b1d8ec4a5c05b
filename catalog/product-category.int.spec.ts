/**
 * Product categories through the full app: registered with a product or set by a manager
 * (`PUT /api/products/{sku}/category`, null clears, the same again appends nothing), listed and
 * filtered by `GET /api/products?category=` (JSON and CSV), a count session scoped to a
 * category, and the products model rebuilt from the log identical to the live one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, type ProductDoc } from '../projections/models/collections';
import { isProblem, rebuiltBesideLive, startFullApp, type FullApp, type Headers } from '../server/testing/full-app';

let f: FullApp;
let manager: Headers;
let staff: Headers;

const head = async () => (await f.head()).toString();
const products = async (query: string, h: Headers = manager) => {
  const res = await f.get(`/api/products?minPosition=${await head()}${query}`, h);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Array<{ sku: string; category?: string }>;
};
/** Asserts the request is refused with `status` and appends nothing. */
const refused = async (status: number, run: () => Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>) => {
  const before = await f.head();
  const res = await run();
  expect(isProblem(res, status), res.body).toBe(true);
  expect(await f.head()).toBe(before);
  return JSON.parse(res.body);
};
const setCategory = (sku: string, body: unknown, h: Headers = manager) => f.call('PUT', `/api/products/${sku}/category`, h, body);

beforeAll(async () => {
  f = await startFullApp();
  expect((await f.post('/api/locations', f.admin, { id: 'store-a', name: 'A', type: 'store' })).statusCode).toBe(201);
  for (const [sku, category] of [['TEE', 'Shirts'], ['POLO', 'Shirts'], ['MUG', undefined]] as const) {
    const res = await f.post('/api/products', f.admin, { sku, name: sku, ...(category && { category }) });
    expect(res.statusCode, res.body).toBe(201);
  }
  manager = await f.tokenFor('manager', ['store-a'], 'mo');
  staff = await f.tokenFor('staff', ['store-a'], 'sam');
});
afterAll(async () => {
  await f?.close();
});

describe('product categories', () => {
  it('registers a product with a category and filters the list by it (JSON and CSV)', async () => {
    expect((await products('')).map((p) => [p.sku, p.category])).toEqual([['MUG', undefined], ['POLO', 'Shirts'], ['TEE', 'Shirts']]);
    expect((await products('&category=Shirts')).map((p) => p.sku)).toEqual(['POLO', 'TEE']);
    expect(await products('&category=Hats')).toEqual([]);
    const csv = await f.get(`/api/products?format=csv&category=Shirts&minPosition=${await head()}`, manager);
    expect(csv.statusCode, csv.body).toBe(200);
    const [header, ...rows] = csv.body.trim().split(/\r?\n/);
    expect(header!.split(',')).toContain('category');
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.endsWith(',Shirts'))).toBe(true);
  });

  it('refuses a blank, untrimmed or too long category at registration', async () => {
    for (const category of ['', ' Shirts', 'x'.repeat(101)]) {
      await refused(400, () => f.post('/api/products', f.admin, { sku: 'BAD', name: 'Bad', category }));
    }
  });

  it('lets a manager set, change and clear a category; the same again appends nothing', async () => {
    const from = (await f.head()) + 1n;
    const set = await setCategory('MUG', { category: 'Kitchen' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().duplicate).toBeUndefined();
    const again = await setCategory('MUG', { category: 'Kitchen' });
    expect(again.json()).toEqual({ position: set.json().position, duplicate: true });
    expect((await setCategory('MUG', { category: 'Homeware' })).statusCode).toBe(200);
    expect((await products('&sku=MUG'))[0]!.category).toBe('Homeware');
    expect((await setCategory('MUG', { category: null })).statusCode).toBe(200);
    expect((await products('&sku=MUG'))[0]!.category).toBeUndefined();
    expect((await setCategory('MUG', { category: null })).json().duplicate).toBe(true);
    const events = (await f.events(from.toString())).filter((e) => e.type === 'ProductCategorized').map((e) => e.data);
    expect(events).toEqual([
      expect.objectContaining({ sku: 'MUG', category: 'Kitchen' }),
      expect.objectContaining({ sku: 'MUG', category: 'Homeware', previous: 'Kitchen' }),
      expect.objectContaining({ sku: 'MUG', category: null, previous: 'Homeware' }),
    ]);
    expect(events[0]).not.toHaveProperty('previous');
  });

  it('refuses bad input, an unknown SKU and staff with a problem, appending nothing', async () => {
    for (const body of [{}, { category: '' }, { category: ' Kitchen' }, { category: 'x'.repeat(101) }, { category: 3 }, { category: 'Kitchen', extra: 1 }]) {
      await refused(400, () => setCategory('MUG', body));
    }
    expect((await refused(404, () => setCategory('NOPE', { category: 'Kitchen' }))).code).toBe('unknown-sku');
    await refused(403, () => setCategory('MUG', { category: 'Kitchen' }, staff));
  });

  it('opens a count for a category: its SKUs, intersected with a list; an unused category is 400 naming /scope/category', async () => {
    expect(await f.built.services.runner.waitForPosition(await f.built.services.eventStore.headPosition(), 10_000)).toBe(true);
    const opened = await f.post('/api/count-sessions', manager, { locationId: 'store-a', scope: { category: 'Shirts' } });
    expect(opened.statusCode, opened.body).toBe(201);
    const view = await f.get(`/api/count-sessions/${opened.json().id}?minPosition=${opened.json().position}`, manager);
    expect(view.json().scope).toEqual({ category: 'Shirts', skus: ['POLO', 'TEE'] });
    const both = await f.post('/api/count-sessions', manager, { locationId: 'store-a', scope: { category: 'Shirts', skus: ['TEE', 'MUG'] } });
    expect(both.statusCode, both.body).toBe(201);
    const bothView = await f.get(`/api/count-sessions/${both.json().id}?minPosition=${both.json().position}`, manager);
    expect(bothView.json().scope.skus).toEqual(['TEE']);
    const unused = await refused(400, () => f.post('/api/count-sessions', manager, { locationId: 'store-a', scope: { category: 'Hats' } }));
    expect(unused.errors).toEqual([expect.objectContaining({ instancePath: '/scope/category' })]);
    await refused(400, () => f.post('/api/count-sessions', manager, { locationId: 'store-a', scope: { category: 'Shirts', skus: ['MUG'] } }));
  });

  it('rebuilds the products model from the log identical to the live one', async () => {
    await rebuiltBesideLive(f, async (fresh, report) => {
      expect(report.differences).toEqual([]);
      const docs = await fresh.find<ProductDoc>(COLLECTIONS.products, { orderBy: [['_id', 'asc']] });
      expect(docs.map((d) => [d.sku, d.category])).toEqual([['MUG', undefined], ['POLO', 'Shirts'], ['TEE', 'Shirts']]);
    });
  });
});
