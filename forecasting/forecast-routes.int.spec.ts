/**
 * GET /api/forecast and /api/forecast/reorder-point over projected events: a store that sells
 * by weekday for six weeks, one that opened last week, the access rules and bad input.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { projections } from '../projections/models/index';
import { ev, project, recorded } from '../projections/models/testing/project';
import { createTestApp, principalHeader } from '../server/testing/test-app';
import { createForecaster } from './forecaster';
import { forecastRoutes } from './forecast-routes';
import { createRunningOutWatch, type RunningOutWatch } from './running-out';
import { seasonalSeries } from './testing/synthetic';

const NOW = new Date('2026-03-20T15:00:00Z');
const day = (daysAgo: number, hh = '12') => new Date(Date.parse(`2026-03-20T${hh}:00:00Z`) - daysAgo * 86_400_000).toISOString();
const sales = seasonalSeries(42, 3);

const events = recorded(
  ev('LocationRegistered', { locationId: 'A', name: 'Main St', locationType: 'store' }, day(60)),
  ev('LocationRegistered', { locationId: 'B', name: 'New St', locationType: 'store' }, day(60)),
  ev('ProductRegistered', { sku: 'S1', name: 'Soap', unitCost: 100 }, day(60)),
  ev('ProductRegistered', { sku: 'S2', name: 'Sponge', unitCost: 100 }, day(60)),
  ev('StockReceived', { locationId: 'A', receiptId: 'r1', lines: [{ sku: 'S1', quantity: 500, unitCost: 100 }] }, day(42, '08')),
  ev('StockReceived', { locationId: 'A', receiptId: 'r2', lines: [{ sku: 'S2', quantity: 5, unitCost: 100 }] }, day(42, '08')),
  ev('StockReceived', { locationId: 'B', receiptId: 'r3', lines: [{ sku: 'S1', quantity: 5, unitCost: 100 }] }, day(6, '08')),
  // Six weeks of weekday-shaped sales at A, the last full day yesterday; two units so far today.
  ...sales.flatMap((quantity, i) => (quantity > 0 ? [ev('StockSold', { locationId: 'A', saleId: `a${i}`, lines: [{ sku: 'S1', quantity }] }, day(42 - i))] : [])),
  ev('StockSold', { locationId: 'A', saleId: 'today', lines: [{ sku: 'S1', quantity: 2 }] }, day(0, '09')),
  ev('StockSold', { locationId: 'B', saleId: 'b1', lines: [{ sku: 'S1', quantity: 1 }] }, day(3)),
);
const sold = sales.reduce((a, b) => a + b, 0) + 2;

const analyst = principalHeader('analyst');

describe('forecast routes', () => {
  let app: FastifyInstance;
  let watch: RunningOutWatch;
  let store: Awaited<ReturnType<Awaited<ReturnType<typeof project>>['store']>>;

  beforeAll(async () => {
    store = await (await project(projections, events)).store();
    app = createTestApp();
    const forecaster = createForecaster(store, () => NOW);
    // "Running out" within 60 days, so that A's soap (about a month of cover) is on the list.
    watch = createRunningOutWatch({ readStore: store, forecaster, clock: () => NOW, withinDays: 60, start: false });
    await forecastRoutes(app, { readStore: store, waitForPosition: async () => true, currentPosition: () => 99n, clock: () => NOW, forecaster, runningOut: watch });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });
  const get = (url: string, headers: Record<string, string> = analyst) => app.inject({ method: 'GET', url, headers });

  it('forecasts a seasonal series per the contract, with the backtest and the days of cover', async () => {
    const res = await get('/api/forecast?locationId=A&sku=S1&days=14');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.daily).toHaveLength(14);
    expect(body.daily[0].date).toBe('2026-03-20');
    expect(body.daily[13].date).toBe('2026-04-02');
    for (const d of body.daily) {
      expect(d.low).toBeLessThanOrEqual(d.quantity);
      expect(d.high).toBeGreaterThanOrEqual(d.quantity);
    }
    expect(['seasonal_naive', 'holt_winters', 'croston_sba', 'tsb']).toContain(body.method);
    expect(body.backtest.origins).toBe(4);
    expect(body.backtest.mase).toBeGreaterThan(0);
    expect(body.backtest.coverage).toBeGreaterThanOrEqual(0);
    expect(body.onHand).toBe(500 - sold);
    // about 8 a day: the remaining stock lasts days of cover ≈ on-hand / 8
    expect(body.daysOfCover).toBeGreaterThan(body.onHand / 14);
    expect(body.daysOfCover).toBeLessThan(body.onHand / 4);
    expect(body.history.at(-1)).toEqual({ date: '2026-03-20', quantity: 2 });
    expect(body.history.at(-2)).toEqual({ date: '2026-03-19', quantity: sales.at(-1) });
    expect(body.position).toBe('99');
  });

  it('dates the stockout and raises "running out" when the stock lasts less than alertDays', async () => {
    const body = (await get('/api/forecast?locationId=A&sku=S1&days=90&alertDays=90')).json();
    expect(body.stockoutDate).toMatch(/^2026-0[4-6]-\d\d$/);
    expect(body.runningOut.inDays).toBe(Math.floor(body.daysOfCover));
    expect(body.runningOut.message).toContain('runs out in');
    const calm = (await get('/api/forecast?locationId=A&sku=S1&days=7&alertDays=1')).json();
    expect(calm.runningOut).toBeUndefined();
  });

  it('answers the daily rows as CSV', async () => {
    const res = await get('/api/forecast?locationId=A&sku=S1&days=3&format=csv');
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.split(/\r?\n/)[0]).toBe('date,quantity,low,high');
  });

  it('refuses days outside 1-90 (400), unknown location or SKU (404)', async () => {
    for (const days of [0, 91]) {
      const res = await get(`/api/forecast?locationId=A&sku=S1&days=${days}`);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await get('/api/forecast?locationId=Z&sku=S1')).statusCode).toBe(404);
    expect((await get('/api/forecast?locationId=A&sku=NOPE')).json()).toMatchObject({ status: 404, code: 'unknown_sku' });
  });

  it('says "not enough history" and what is needed instead of making a forecast up', async () => {
    const young = await get('/api/forecast?locationId=B&sku=S1');
    expect(young.statusCode).toBe(422);
    expect(young.json()).toMatchObject({ code: 'not_enough_history', historyDays: 6, neededDays: 14 });
    expect(young.json().detail).toContain('needs at least 14 days');
    const unsold = await get('/api/forecast?locationId=A&sku=S2');
    expect(unsold.json()).toMatchObject({ status: 422, historyDays: 42, salesDays: 0, neededSalesDays: 1 });
    expect((await get('/api/forecast?locationId=B&sku=S2')).json()).toMatchObject({ status: 422, historyDays: 0 });
  });

  it('scopes managers and staff to their locations; analysts read everything', async () => {
    expect((await get('/api/forecast?locationId=A&sku=S1', principalHeader('manager', 'm', ['B']))).statusCode).toBe(403);
    expect((await get('/api/forecast?locationId=A&sku=S1', principalHeader('staff', 's', ['A']))).statusCode).toBe(200);
  });

  it('gives a forecast reorder point that grows with the service level and the lead time', async () => {
    const base = (await get('/api/forecast/reorder-point?locationId=A&sku=S1&leadTimeDays=5')).json();
    expect(base).toMatchObject({ locationId: 'A', sku: 'S1', leadTimeDays: 5, serviceLevel: 0.95, reviewDays: 7 });
    expect(base.reorderPoint).toBeGreaterThanOrEqual(Math.ceil(base.leadTimeDemand + base.safetyStock - 0.01));
    expect(base.orderUpTo).toBeGreaterThan(base.reorderPoint);
    expect(base.reason).toContain('95 % service');
    const safer = (await get('/api/forecast/reorder-point?locationId=A&sku=S1&leadTimeDays=5&serviceLevel=0.99')).json();
    expect(safer.reorderPoint).toBeGreaterThan(base.reorderPoint);
    const longer = (await get('/api/forecast/reorder-point?locationId=A&sku=S1&leadTimeDays=10')).json();
    expect(longer.reorderPoint).toBeGreaterThan(base.reorderPoint);
    expect((await get('/api/forecast/reorder-point?locationId=A&sku=S1')).statusCode).toBe(400);
    expect((await get('/api/forecast/reorder-point?locationId=B&sku=S1&leadTimeDays=3')).statusCode).toBe(422);
  });

  it('lists what runs out soon from the last chain-wide sweep, narrowed to the caller', async () => {
    const before = (await get('/api/forecast/running-out')).json();
    expect(before).toMatchObject({ items: [], series: 0 });
    expect(before.asOf).toBeUndefined();
    await watch.sweep();
    const after = (await get('/api/forecast/running-out')).json();
    expect(after.asOf).toBe(NOW.toISOString());
    // A/S1 and A/S2 and B/S1 are stocked; A/S2 never sold and B/S1 is a week old: no forecast for them.
    expect(after).toMatchObject({ withinDays: 60, series: 3, notEnoughHistory: 2 });
    expect(after.items).toHaveLength(1);
    expect(after.items[0]).toMatchObject({ locationId: 'A', sku: 'S1', onHand: 500 - sold });
    expect(after.items[0].daysOfCover).toBeLessThan(60);
    expect((await get('/api/forecast/running-out', principalHeader('manager', 'm', ['B']))).json().items).toEqual([]);
    expect((await get('/api/forecast/running-out?locationId=A', principalHeader('manager', 'm', ['B']))).statusCode).toBe(403);
  });

  it('between sweeps, a stock change re-forecasts just its own series', async () => {
    const changes$ = new Subject<{ kind: string; locationId?: string; sku?: string }>();
    const live = createRunningOutWatch({ readStore: store, forecaster: createForecaster(store, () => NOW), withinDays: 60, start: false, changes$, changeBatchMs: 250 });
    expect(live.current().items).toEqual([]);
    changes$.next({ kind: 'alert', locationId: 'A' });
    changes$.next({ kind: 'stock', locationId: 'A', sku: 'S1' });
    changes$.next({ kind: 'stock', locationId: 'A', sku: 'S1' });
    await expect.poll(() => live.current().items.map((i) => `${i.locationId}|${i.sku}`)).toEqual(['A|S1']);
    live.stop();
  });
});
