/**
 * The reorder point counts the demand still to come from now: given a series and today's sales
 * so far, when the reorder point is asked in the evening, then the lead-time demand is the rest
 * of today's forecast plus whole days, since the on-hand it is compared with has already lost
 * today's sales (forecaster.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../server/clock';
import { startFullApp, type FullApp } from '../server/testing/full-app';

const DAY = 86_400_000;
const START = Date.parse('2031-02-01T10:00:00.000Z');
const clock = manualClock(new Date(START));
let f: FullApp;
const ok = async (url: string, body: unknown) => {
  const res = await f.post(url, f.admin, body);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(201);
};

beforeAll(async () => {
  f = await startFullApp({ clock: clock.now });
  await ok('/api/locations', { id: 'shop', name: 'Shop', type: 'store' });
  await ok('/api/products', { sku: 'X', name: 'X', unitCost: 100 });
  await ok('/api/stock/receipts', { locationId: 'shop', lines: [{ sku: 'X', quantity: 900 }] });
  for (let day = 0; day <= 28; day += 1) {
    clock.set(new Date(START + day * DAY));
    // Today (day 28) only 2 have sold so far.
    await ok('/api/stock/sales', { locationId: 'shop', occurredAt: clock.now().toISOString(), lines: [{ sku: 'X', quantity: day === 28 ? 2 : 6 + (day % 2) }] });
  }
  clock.set(new Date(START + 28 * DAY + 10 * 3_600_000));
});
afterAll(() => f.close());

describe('reorder point from now', () => {
  it('given 2 sold so far today, then the lead-time demand is the rest of today plus whole days', async () => {
    const head = await f.head();
    const forecast = (await f.get(`/api/forecast?locationId=shop&sku=X&days=3&minPosition=${head}`, f.admin)).json() as { daily: Array<{ quantity: number }> };
    const figures = (await f.get(`/api/forecast/reorder-point?locationId=shop&sku=X&leadTimeDays=3&minPosition=${head}`, f.admin)).json() as { leadTimeDemand: number };
    const [today, ...next] = forecast.daily.map((d) => d.quantity);
    expect(today).toBeGreaterThan(4);
    expect(figures.leadTimeDemand).toBeCloseTo(Math.round((today! - 2 + next[0]! + next[1]!) * 100) / 100, 1);
  });
});
