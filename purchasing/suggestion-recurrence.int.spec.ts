/**
 * A suggestion's id only says what it suggests, so the same need can come back with the same
 * id after the first order was received and sold (found by the chain simulator, issue 20).
 * Acting on it again must create a new purchase order, not answer "duplicate" and do nothing;
 * repeating the same action at the same read position still creates nothing new.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullApp, type FullApp } from '../server/testing/full-app';

let f: FullApp;
const ok = async (method: 'POST' | 'PUT', url: string, body?: unknown) => {
  const res = await f.call(method, url, f.admin, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(method === 'PUT' ? 200 : 201);
  return res.json() as Record<string, unknown> & { position: string };
};
const suggestions = async (minPosition: string) => {
  const res = await f.get(`/api/reorder-suggestions?minPosition=${minPosition}`, f.admin);
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: Array<{ id: string; kind: string; quantity: number }> }).items;
};

beforeAll(async () => {
  f = await startFullApp();
  await ok('POST', '/api/locations', { id: 'shop', name: 'Shop', type: 'store' });
  await ok('POST', '/api/products', { sku: 'TEA', name: 'Tea', unitCost: 300 });
  await ok('POST', '/api/suppliers', { id: 'leaf', name: 'Leaf Ltd', leadTimeDays: 2 });
  await ok('POST', '/api/suppliers/leaf/prices', { sku: 'TEA', unitCost: 300, minOrderQuantity: 1, packSize: 1, preferred: true });
  await ok('PUT', '/api/reorder-rules', { locationId: 'shop', sku: 'TEA', min: 5, max: 10 });
  await ok('POST', '/api/stock/receipts', { locationId: 'shop', lines: [{ sku: 'TEA', quantity: 3 }] });
});
afterAll(() => f.close());

describe('the same suggestion, weeks apart', () => {
  it('given an order received and sold again down to the same figures, when the same suggestion is applied, then a new purchase order is drafted', async () => {
    const [first] = await suggestions((await f.head()).toString());
    expect(first).toMatchObject({ kind: 'purchase', quantity: 7 });
    const applied = await ok('POST', '/api/reorder-suggestions/apply', { suggestionIds: [first!.id] });
    const [order] = applied['purchaseOrders'] as Array<{ id: string; duplicate?: boolean }>;
    expect(order!.duplicate).toBeUndefined();
    await ok('POST', `/api/purchase-orders/${order!.id}/send`);
    await ok('POST', `/api/purchase-orders/${order!.id}/receive`, { lines: [{ sku: 'TEA', quantity: 7 }] });
    const sold = await ok('POST', '/api/stock/sales', { locationId: 'shop', lines: [{ sku: 'TEA', quantity: 7 }] });

    const [again] = await suggestions(sold.position);
    expect(again!.id).toBe(first!.id); // the same figures: the same suggestion id
    const headBefore = await f.head();
    const second = await ok('POST', '/api/reorder-suggestions/apply', { suggestionIds: [again!.id] });
    const [newOrder] = second['purchaseOrders'] as Array<{ id: string; duplicate?: boolean }>;
    expect(newOrder!.duplicate).toBeUndefined();
    expect(newOrder!.id).not.toBe(order!.id);
    expect(await f.head()).toBeGreaterThan(headBefore);
    const res = await f.get(`/api/purchase-orders/${newOrder!.id}?minPosition=${second.position}`, f.admin);
    expect(res.json()).toMatchObject({ status: 'draft', lines: [{ sku: 'TEA', ordered: 7 }] });
  });
});
