/**
 * The suggestion pass is made once per read state: a GET and the `apply` that follows it at
 * the same checkpoints share it (the chain simulator's evening review made it twice a day
 * over every pair). Whatever is committed in between moves a checkpoint, so `apply` judges the
 * selection on a fresh pass and a suggestion a later event made stale is still refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProblem, startFullApp, type FullApp } from '../server/testing/full-app';

let f: FullApp;
const ok = async (method: 'POST' | 'PUT', url: string, body?: unknown) => {
  const res = await f.call(method, url, f.admin, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(method === 'PUT' ? 200 : 201);
  return res.json() as Record<string, unknown> & { position: string };
};
type Suggested = { id: string; kind: string; locationId: string; sku: string; quantity: number };
const suggestions = async (minPosition: string) => {
  const res = await f.get(`/api/reorder-suggestions?minPosition=${minPosition}`, f.admin);
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: Suggested[] }).items;
};
const caughtUp = async (position: string) => {
  expect((await f.get(`/api/on-order?minPosition=${position}`, f.admin)).statusCode).toBe(200);
};

beforeAll(async () => {
  f = await startFullApp();
  await ok('POST', '/api/locations', { id: 'shop', name: 'Shop', type: 'store' });
  await ok('POST', '/api/products', { sku: 'TEA', name: 'Tea', unitCost: 300 });
  await ok('POST', '/api/products', { sku: 'JAM', name: 'Jam', unitCost: 200 });
  await ok('POST', '/api/suppliers', { id: 'leaf', name: 'Leaf Ltd', leadTimeDays: 2 });
  await ok('POST', '/api/suppliers/leaf/prices', { sku: 'TEA', unitCost: 300, minOrderQuantity: 1, packSize: 1, preferred: true });
  await ok('POST', '/api/suppliers/leaf/prices', { sku: 'JAM', unitCost: 200, minOrderQuantity: 1, packSize: 1, preferred: true });
  await ok('PUT', '/api/reorder-rules', { locationId: 'shop', sku: 'TEA', min: 5, max: 10 });
  await ok('PUT', '/api/reorder-rules', { locationId: 'shop', sku: 'JAM', min: 5, max: 10 });
  await ok('POST', '/api/stock/receipts', { locationId: 'shop', lines: [{ sku: 'TEA', quantity: 3 }, { sku: 'JAM', quantity: 2 }] });
});
afterAll(() => f.close());

describe('one suggestion pass per read state', () => {
  it('given suggestions read, when a receipt lifts the shop above its min before they are applied, then apply refuses them as stale and appends nothing', async () => {
    const read = await suggestions((await f.head()).toString());
    const tea = read.find((s) => s.sku === 'TEA')!;
    expect(tea).toMatchObject({ kind: 'purchase', quantity: 7 });
    const receipt = await ok('POST', '/api/stock/receipts', { locationId: 'shop', lines: [{ sku: 'TEA', quantity: 10 }] });
    await caughtUp(receipt.position);

    const before = await f.head();
    const stale = await f.post('/api/reorder-suggestions/apply', f.admin, { suggestionIds: [tea.id] });
    expect(isProblem(stale, 409)).toBe(true);
    expect(stale.json()).toMatchObject({ code: 'stale-suggestion', field: 'suggestionIds/0' });
    expect(await f.head()).toBe(before);
  });

  it('given suggestions read and nothing committed since, when they are applied, then the order holds exactly what was read; the same selection again is stale', async () => {
    const read = await suggestions((await f.head()).toString());
    expect(read.map((s) => [s.sku, s.quantity])).toEqual([['JAM', 8]]);
    const applied = await ok('POST', '/api/reorder-suggestions/apply', { suggestionIds: read.map((s) => s.id) });
    const [order] = applied['purchaseOrders'] as Array<{ id: string }>;
    const res = await f.get(`/api/purchase-orders/${order!.id}?minPosition=${applied.position}`, f.admin);
    expect((res.json() as { lines: Array<{ sku: string; ordered: number }> }).lines).toEqual([expect.objectContaining({ sku: 'JAM', ordered: 8 })]);

    // The draft moved the purchasing checkpoint: the pass is made again and the JAM need is on order.
    const again = await f.post('/api/reorder-suggestions/apply', f.admin, { suggestionIds: read.map((s) => s.id) });
    expect(isProblem(again, 409)).toBe(true);
    expect(await suggestions(applied.position)).toEqual([]);
  });
});
