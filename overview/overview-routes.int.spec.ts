/** The chain overview, the POS ticker and the sales insights over projected events. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStore, PosConnection, QuarantineItem } from '../pos/connections/connection-store';
import { projections } from '../projections/models/index';
import { ev, project, recorded } from '../projections/models/testing/project';
import { createTestApp, principalHeader } from '../server/testing/test-app';
import { overviewRoutes } from './overview-routes';

const NOW = new Date('2026-03-20T15:00:00Z');
const at = (date: string, hh = '10') => `${date}T${hh}:00:00.000Z`;
const pos = { kind: 'pos' as const, id: 'till-1' };
const events = recorded(
  ev('LocationRegistered', { locationId: 'A', name: 'Main St', locationType: 'store' }, at('2026-03-01')),
  ev('LocationRegistered', { locationId: 'B', name: 'Mall', locationType: 'store' }, at('2026-03-01')),
  ev('ProductRegistered', { sku: 'S1', name: 'Soap', unitCost: 100, reorderPoint: 5 }, at('2026-03-01')),
  ev('ProductRegistered', { sku: 'S2', name: 'Sponge', unitCost: 50 }, at('2026-03-01')),
  ev('StockReceived', { locationId: 'A', receiptId: 'r1', lines: [{ sku: 'S1', quantity: 10, unitCost: 100 }, { sku: 'S2', quantity: 2, unitCost: 50 }] }, at('2026-03-02')),
  ev('StockReceived', { locationId: 'B', receiptId: 'r2', lines: [{ sku: 'S1', quantity: 3, unitCost: 100 }] }, at('2026-03-02')),
  ev('StockSold', { locationId: 'A', saleId: 'lw', lines: [{ sku: 'S1', quantity: 2 }] }, at('2026-03-13')),
  ev('StockSold', { locationId: 'A', saleId: 't1', lines: [{ sku: 'S1', quantity: 4 }] }, at('2026-03-20'), { metadata: { actor: pos, source: 'pos:generic', correlationId: 'c' } }),
  ev('StockSold', { locationId: 'A', saleId: 't2', lines: [{ sku: 'S2', quantity: 2 }] }, at('2026-03-20', '11'), { metadata: { actor: pos, source: 'pos:generic', correlationId: 'c' } }),
  ev('StockSold', { locationId: 'B', saleId: 't3', lines: [{ sku: 'S1', quantity: 1 }] }, at('2026-03-20', '12')),
);

const connection = { id: 'till-1', kind: 'generic', locationMap: { p1: 'A' }, disabled: false } as unknown as PosConnection;
const posStore = {
  listConnections: async () => [connection],
  listQuarantine: async () => [{ connectionId: 'till-1', status: 'open' }, { connectionId: 'other', status: 'open' }] as unknown as QuarantineItem[],
} as unknown as ConnectionStore;

describe('overview routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const store = await (await project(projections, events)).store();
    app = createTestApp();
    await overviewRoutes(app, { readStore: store, posStore, waitForPosition: async () => true, currentPosition: () => 10n, clock: () => NOW });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });
  const get = (url: string, headers = principalHeader('analyst')) => app.inject({ method: 'GET', url, headers });

  it('sums the chain per location: value, stockouts, low stock, sales today vs last week, POS health', async () => {
    const body = (await get('/api/overview')).json();
    expect(body.today).toBe('2026-03-20');
    expect(body.sameDayLastWeek).toBe('2026-03-13');
    expect(body.locations).toEqual([
      { locationId: 'A', name: 'Main St', type: 'store', stockValue: 400, skus: 1, stockouts: 1, lowStock: 1, salesToday: 6, salesSameDayLastWeek: 2 },
      { locationId: 'B', name: 'Mall', type: 'store', stockValue: 200, skus: 1, stockouts: 0, lowStock: 1, salesToday: 1, salesSameDayLastWeek: 0 },
    ]);
    expect(body.totals).toMatchObject({ stockValue: 600, stockouts: 1, lowStock: 2, salesToday: 7, salesSameDayLastWeek: 2, overdueTransfers: 0 });
    expect(body.pos).toEqual([{ connectionId: 'till-1', kind: 'generic', disabled: false, locations: ['A'], quarantined: 1, lastDeliveryAt: expect.any(String) }]);
  });

  it('narrows a manager to their locations (and the POS connections mapped into them)', async () => {
    const body = (await get('/api/overview', principalHeader('manager', 'm', ['B']))).json();
    expect(body.locations.map((l: { locationId: string }) => l.locationId)).toEqual(['B']);
    expect(body.pos).toEqual([]);
  });

  it('lists the latest POS movements, newest first', async () => {
    const body = (await get('/api/overview/pos-events?limit=5')).json();
    expect(body.items.map((i: { sku: string; quantity: number }) => [i.sku, i.quantity])).toEqual([['S2', -2], ['S1', -4]]);
    expect(body.items[0].connectionId).toBe('till-1');
  });

  it('totals sales per day, SKU and location for the charts', async () => {
    const body = (await get('/api/insights/sales?from=2026-03-13&to=2026-03-20')).json();
    expect(body.byDay).toHaveLength(8);
    expect(body.byDay[0]).toEqual({ date: '2026-03-13', sold: 2, returned: 0 });
    expect(body.byDay[7]).toEqual({ date: '2026-03-20', sold: 7, returned: 0 });
    expect(body.bySku).toEqual([{ sku: 'S1', sold: 7, returned: 0 }, { sku: 'S2', sold: 2, returned: 0 }]);
    expect((await get('/api/insights/sales?from=2026-03-21&to=2026-03-20')).statusCode).toBe(400);
    expect((await get('/api/insights/sales?locationId=A', principalHeader('staff', 's', ['B']))).statusCode).toBe(403);
  });
});
