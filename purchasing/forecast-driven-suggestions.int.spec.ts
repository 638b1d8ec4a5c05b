/**
 * Suggestions are forecast-driven (server/app.ts wires the forecaster in as purchasing's
 * reorderPointProvider), and the forecast plans over the lead time of the supplier the SKU is
 * bought from, not the provider's 7-day default (docs/simulation.md: a fixed 7 days cost
 * stockouts with slower suppliers and stock with faster ones).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../server/clock';
import { startFullApp, type FullApp } from '../server/testing/full-app';

const DAY = 86_400_000;
const T0 = new Date('2031-05-01T20:00:00.000Z');
let f: FullApp;
const ok = async (method: 'POST' | 'PUT', url: string, body?: unknown) => {
  const res = await f.call(method, url, f.admin, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(method === 'PUT' ? 200 : 201);
  return res.json() as Record<string, unknown> & { position: string };
};

beforeAll(async () => {
  f = await startFullApp({ clock: manualClock(T0).now });
  await ok('POST', '/api/locations', { id: 'shop', name: 'Shop', type: 'store' });
  for (const sku of ['SLOW', 'FAST']) await ok('POST', '/api/products', { sku, name: sku, unitCost: 100 });
  await ok('POST', '/api/suppliers', { id: 'far', name: 'Far away', leadTimeDays: 12 });
  await ok('POST', '/api/suppliers', { id: 'near', name: 'Next door', leadTimeDays: 2 });
  await ok('POST', '/api/suppliers/far/prices', { sku: 'SLOW', unitCost: 100, minOrderQuantity: 1, packSize: 1, preferred: true });
  await ok('POST', '/api/suppliers/near/prices', { sku: 'FAST', unitCost: 100, minOrderQuantity: 1, packSize: 1, preferred: true });
  // Four weeks of till sales, 5 a day each (reported late: a sale is never refused), then stock
  // that leaves 30 of each on hand today.
  for (let d = 28; d >= 1; d -= 1) {
    await ok('POST', '/api/stock/sales', { locationId: 'shop', occurredAt: new Date(T0.getTime() - d * DAY).toISOString(), lines: [{ sku: 'SLOW', quantity: 5 }, { sku: 'FAST', quantity: 5 }] });
  }
  await ok('POST', '/api/stock/receipts', { locationId: 'shop', lines: [{ sku: 'SLOW', quantity: 170 }, { sku: 'FAST', quantity: 170 }] });
});
afterAll(() => f.close());

describe('forecast-driven suggestions', () => {
  it('plan each SKU over its own supplier’s lead time', async () => {
    const res = await f.get(`/api/reorder-suggestions?minPosition=${await f.head()}`, f.admin);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: Array<{ sku: string; reason: string; min: number }> }).items;
    const slow = items.find((i) => i.sku === 'SLOW');
    expect(slow?.reason).toMatch(/forecast \(.+\) .* over 12 d lead time/);
    const fast = (await f.get(`/api/forecast/reorder-point?locationId=shop&sku=FAST&leadTimeDays=2`, f.admin)).json() as { reorderPoint: number };
    const week = (await f.get(`/api/forecast/reorder-point?locationId=shop&sku=FAST&leadTimeDays=7`, f.admin)).json() as { reorderPoint: number };
    // FAST (2-day supplier) has 30 on hand: above its 2-day reorder point, so no suggestion, where a 7-day default would make one.
    expect(fast.reorderPoint).toBeLessThan(30);
    expect(week.reorderPoint).toBeGreaterThan(30);
    expect(items.find((i) => i.sku === 'FAST')).toBeUndefined();
    expect(slow!.min).toBeGreaterThan(5 * 12 - 1);
  });
});
