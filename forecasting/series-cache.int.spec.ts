/**
 * The forecaster keeps each series' source between calls and reads again only the days the
 * ledger shows moved (forecaster.ts, series.ts). Given a forecast was made, when a till reports
 * a sale of an earlier day late (days or weeks), then the next forecast has it; when days pass
 * without a movement, then the history grows by days without sales, exactly as a fresh read gives it.
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
type History = Array<{ date: string; quantity: number }>;
const forecast = async () => {
  const res = await f.get(`/api/forecast?locationId=shop&sku=X&days=7&minPosition=${await f.head()}`, f.admin);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { history: History; daily: Array<{ quantity: number }> };
};
const sale = (day: number, quantity: number) => ok('/api/stock/sales', {
  locationId: 'shop', occurredAt: new Date(START + day * DAY).toISOString(), lines: [{ sku: 'X', quantity }],
});

beforeAll(async () => {
  f = await startFullApp({ clock: clock.now });
  await ok('/api/locations', { id: 'shop', name: 'Shop', type: 'store' });
  await ok('/api/products', { sku: 'X', name: 'X', unitCost: 100 });
  await ok('/api/stock/receipts', { locationId: 'shop', lines: [{ sku: 'X', quantity: 500 }] });
  for (let day = 0; day < 21; day += 1) {
    clock.set(new Date(START + day * DAY));
    await sale(day, 3 + (day % 3));
  }
});
afterAll(() => f.close());

describe('the forecaster’s series cache', () => {
  it('given a forecast, when a sale of three days ago arrives late, then the next forecast counts it', async () => {
    const before = await forecast();
    expect(before.history.at(-4)).toEqual({ date: '2031-02-18', quantity: 3 + (17 % 3) });
    await sale(17, 10);
    const after = await forecast();
    expect(after.history.at(-4)).toEqual({ date: '2031-02-18', quantity: 3 + (17 % 3) + 10 });
  });

  it('given a forecast, when a sale of two weeks ago arrives late, then the next forecast counts it', async () => {
    const before = await forecast();
    const day = before.history.length - 15; // 14 days before today
    expect(before.history[day]!.date).toBe('2031-02-07');
    await sale(6, 7);
    const after = await forecast();
    expect(after.history[day]).toEqual({ date: '2031-02-07', quantity: before.history[day]!.quantity + 7 });
    expect(after.history.filter((_, i) => i !== day)).toEqual(before.history.filter((_, i) => i !== day));
  });

  it('given no movement for two days, when forecast again, then two days without sales join the history', async () => {
    const before = await forecast();
    clock.set(new Date(START + 22 * DAY));
    const later = await forecast();
    expect(later.history.slice(-3)).toEqual([
      { date: '2031-02-21', quantity: before.history.at(-1)!.quantity },
      { date: '2031-02-22', quantity: 0 },
      { date: '2031-02-23', quantity: 0 },
    ]);
    expect(later.history.slice(0, -2)).toEqual(before.history);
  });
});
