/**
 * Given a supplier that promises 3 days and delivered in 5, 6 and 7, and a store selling 4 a
 * day, when the suggestions are asked, then the reorder point covers the 6 days the deliveries
 * took, their spread and the day until the next review, not the promise (purchasing/
 * suggestions/lead-times.ts, forecasting/reorder-point.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../server/clock';
import { startFullApp, type FullApp } from '../server/testing/full-app';

const DAY = 86_400_000;
const START = Date.parse('2031-05-01T08:00:00.000Z');
const clock = manualClock(new Date(START));
let f: FullApp;
const ok = async (method: 'POST' | 'PUT', url: string, body?: unknown) => {
  const res = await f.call(method, url, f.admin, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(method === 'PUT' ? 200 : 201);
  return res.json() as Record<string, unknown> & { id: string; position: string };
};

beforeAll(async () => {
  f = await startFullApp({ clock: clock.now });
  await ok('POST', '/api/locations', { id: 'shop', name: 'Shop', type: 'store' });
  await ok('POST', '/api/products', { sku: 'LATE', name: 'Late', unitCost: 100 });
  await ok('POST', '/api/suppliers', { id: 'slowco', name: 'Slow Co', leadTimeDays: 3 });
  await ok('POST', '/api/suppliers/slowco/prices', { sku: 'LATE', unitCost: 100, minOrderQuantity: 1, packSize: 1, preferred: true });
  await ok('POST', '/api/stock/receipts', { locationId: 'shop', lines: [{ sku: 'LATE', quantity: 100 }] });
  // Orders sent on days 2, 9 and 16 at 20:00 arrive 5, 6 and 7 days later at 20:00.
  const sends = new Map([[2, 5], [9, 6], [16, 7]]);
  const arrivals = new Map<number, string>();
  for (let day = 0; day < 28; day += 1) {
    clock.set(new Date(START + day * DAY + 4 * 3_600_000));
    await ok('POST', '/api/stock/sales', { locationId: 'shop', occurredAt: clock.now().toISOString(), lines: [{ sku: 'LATE', quantity: 4 }] });
    clock.set(new Date(START + day * DAY + 12 * 3_600_000));
    const due = arrivals.get(day);
    if (due) await ok('POST', `/api/purchase-orders/${due}/receive`, { lines: [{ sku: 'LATE', quantity: 10 }] });
    const takes = sends.get(day);
    if (takes !== undefined) {
      const { id } = await ok('POST', '/api/purchase-orders', { supplierId: 'slowco', locationId: 'shop', lines: [{ sku: 'LATE', quantity: 10, unitCost: 100 }] });
      await ok('POST', `/api/purchase-orders/${id}/send`);
      arrivals.set(day + takes, id);
    }
  }
});
afterAll(() => f.close());

describe('suggestions plan over the lead time the supplier delivered in', () => {
  it('covers the observed 6 days (sd 1) and the next review, above what the promised 3 days would', async () => {
    const res = await f.get(`/api/reorder-suggestions?minPosition=${await f.head()}`, f.admin);
    expect(res.statusCode).toBe(200);
    const late = (res.json() as { items: Array<{ sku: string; kind: string; reason: string; min: number; quantity: number; available: number }> }).items.find((i) => i.sku === 'LATE');
    expect(late?.reason).toMatch(/over 6 d lead time \(sd 1\.0 d\) \+ 1 d to the next review/);
    // A 98 % cycle service level, and an order of 3 days' demand above the reorder point (figures.ts).
    expect(late?.reason).toMatch(/at 98 % service; up to 3 d more demand/);
    // 100 + 30 received − 28 × 4 sold = 18 available; 7 days at ~4 a day is 28 before any safety stock.
    expect(late).toMatchObject({ kind: 'purchase', available: 18 });
    expect(late!.min).toBeGreaterThanOrEqual(28);
    const promised = (await f.get('/api/forecast/reorder-point?locationId=shop&sku=LATE&leadTimeDays=3', f.admin)).json() as { reorderPoint: number };
    expect(late!.min).toBeGreaterThan(promised.reorderPoint + 10);
  });
});
