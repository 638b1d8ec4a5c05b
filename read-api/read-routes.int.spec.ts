import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projections } from '../projections/models/index';
import { ev, project, recorded } from '../projections/models/testing/project';
import type { ReadStore } from '../projections/readstore/port';
import { createTestApp, principalHeader } from '../server/testing/test-app';
import { readRoutes } from './read-routes';

const T = (hhmm: string, day = '2026-03-02') => `${day}T${hhmm}:00.000Z`;
const keys = { transferId: 't1', fromLocationId: 'A', toLocationId: 'B' };
const events = recorded(
  ev('LocationRegistered', { locationId: 'A', name: 'Warehouse, North', locationType: 'warehouse' }, T('07:00')),
  ev('LocationRegistered', { locationId: 'B', name: 'Main St', locationType: 'store' }, T('07:00')),
  ev('ProductRegistered', { sku: 'S1', name: 'Soap', unitCost: 100, reorderPoint: 3 }, T('07:00')),
  ev('StockReceived', { locationId: 'A', receiptId: 'r1', reference: '=HYPERLINK("http://x")', lines: [{ sku: 'S1', quantity: 10, unitCost: 100 }] }, T('08:00')),
  ev('StockReceived', { locationId: 'B', receiptId: 'r2', lines: [{ sku: 'S1', quantity: 4, unitCost: 100 }, { sku: 'S2', quantity: 1, unitCost: 50 }] }, T('08:30')),
  ev('StockSold', { locationId: 'B', saleId: 's1', lines: [{ sku: 'S1', quantity: 2 }] }, T('09:00')),
  ev('TransferCreated', { ...keys, lines: [{ sku: 'S1', quantity: 3 }] }, T('10:00')),
  ev('TransferDispatched', { ...keys, lines: [{ sku: 'S1', quantity: 3 }] }, T('11:00')),
); // position 8

const analyst = principalHeader('analyst');
const managerOfB = principalHeader('manager', 'bob', ['B']);

describe('read routes', () => {
  let app: FastifyInstance;
  let store: ReadStore;
  let reached = true;
  const waited: bigint[] = [];

  beforeAll(async () => {
    store = await (await project(projections, events)).store();
    app = createTestApp();
    await readRoutes(app, {
      readStore: store,
      waitForPosition: async (p) => {
        waited.push(p);
        return reached;
      },
      currentPosition: () => 8n,
      clock: () => new Date('2026-03-05T12:00:00Z'),
      transferOverdueHours: 48,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (url: string, headers: Record<string, string> = analyst) => app.inject({ method: 'GET', url, headers });

  it('answers stock with the position it reflects', async () => {
    const res = await get('/api/stock');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-stocktide-position']).toBe('8');
    const names = { locationName: 'Warehouse, North', productName: 'Soap' };
    expect(res.json()).toEqual({
      position: '8',
      total: 3,
      items: [
        { locationId: 'A', sku: 'S1', onHand: 7, inTransitIn: 0, inTransitOut: 3, reorderPoint: 3, value: 700, ...names, status: 'ok' },
        { locationId: 'B', sku: 'S1', onHand: 2, inTransitIn: 3, inTransitOut: 0, reorderPoint: 3, value: 200, locationName: 'Main St', productName: 'Soap', status: 'low' },
        { locationId: 'B', sku: 'S2', onHand: 1, inTransitIn: 0, inTransitOut: 0, value: 50, locationName: 'Main St', productName: '', status: 'ok' },
      ],
    });
  });

  it('narrows a scoped manager to their locations and refuses another location with 403', async () => {
    expect((await get('/api/stock', managerOfB)).json().items.map((i: { locationId: string }) => i.locationId)).toEqual(['B', 'B']);
    const res = await get('/api/stock?locationId=A', managerOfB);
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await get('/api/movements?locationId=A', managerOfB)).statusCode).toBe(403);
    expect((await get('/api/locations', managerOfB)).json().items).toEqual([{ id: 'B', name: 'Main St', type: 'store' }]);
    // Every location's name for pickers: a manager may send a transfer anywhere.
    expect((await get('/api/locations?all=true', managerOfB)).json().items.map((l: { id: string }) => l.id)).toEqual(['A', 'B']);
  });

  it('refuses unknown query parameters and anonymous callers', async () => {
    const bad = await get('/api/stock?colour=red');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ status: 400, errors: expect.any(Array) });
    expect((await app.inject({ method: 'GET', url: '/api/stock' })).statusCode).toBe(401);
  });

  it('answers balances as of an instant', async () => {
    const res = await get(`/api/stock?locationId=B&sku=S1&asOf=${encodeURIComponent(T('08:45'))}`);
    expect(res.json()).toEqual({
      position: '8', asOf: T('08:45'), total: 1,
      items: [{ locationId: 'B', sku: 'S1', onHand: 4, inTransitIn: 0, inTransitOut: 0, locationName: 'Main St', productName: 'Soap', status: 'ok' }],
    });
  });

  it('searches, filters by status, sorts and pages the stock list, and its CSV has names and amounts', async () => {
    const soap = (await get('/api/stock?q=soa%20main')).json();
    expect(soap.items.map((i: { locationId: string; sku: string }) => `${i.locationId}/${i.sku}`)).toEqual(['B/S1']);
    expect((await get('/api/stock?q=S2')).json().items).toMatchObject([{ sku: 'S2' }]);
    expect((await get('/api/stock?status=low')).json()).toMatchObject({ total: 1, items: [{ locationId: 'B', sku: 'S1', status: 'low' }] });
    const byOnHand = (await get('/api/stock?sort=-onHand')).json();
    expect(byOnHand.items.map((i: { onHand: number }) => i.onHand)).toEqual([7, 2, 1]);
    const first = (await get('/api/stock?sort=onHand&limit=2')).json();
    expect(first).toMatchObject({ total: 3, items: [{ onHand: 1 }, { onHand: 2 }], nextCursor: expect.any(String) });
    const second = (await get(`/api/stock?sort=onHand&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items).toMatchObject([{ onHand: 7 }]);
    expect(second.nextCursor).toBeUndefined();
    expect((await get('/api/stock?cursor=bm9wZQ')).statusCode).toBe(400);
    expect((await get('/api/stock?status=lowish')).statusCode).toBe(400);
    const csv = (await get('/api/stock?status=low&format=csv')).body.split('\r\n');
    expect(csv[0]).toBe('locationId,locationName,sku,productName,onHand,inTransitIn,inTransitOut,reorderPoint,status,value (USD)');
    expect(csv[1]).toBe('B,Main St,S1,Soap,2,3,0,3,low,2.00');
    expect(csv).toHaveLength(3); // header, one row, the final CRLF: exactly what is filtered
  });

  it('sums stock per location and per SKU', async () => {
    expect((await get('/api/stock/totals?by=sku')).json().items).toEqual([
      { key: 'S1', onHand: 9, inTransitIn: 3, inTransitOut: 3, value: 900 },
      { key: 'S2', onHand: 1, inTransitIn: 0, inTransitOut: 0, value: 50 },
    ]);
    expect((await get('/api/stock/totals')).json()).toMatchObject({ by: 'location', items: [{ key: 'A', onHand: 7 }, { key: 'B', onHand: 3 }] });
  });

  it('pages through movements with an opaque cursor', async () => {
    const first = (await get('/api/movements?limit=2')).json();
    expect(first.items.map((m: { type: string }) => m.type)).toEqual(['receipt', 'receipt']);
    expect(first.items[0]).toEqual({
      position: '4', occurredAt: T('08:00'), recordedAt: T('08:00'), type: 'receipt', locationId: 'A', sku: 'S1',
      quantity: 10, balance: 10, actor: 'alice', source: 'api', reference: '=HYPERLINK("http://x")', effective: true,
      productName: 'Soap', locationName: 'Warehouse, North',
    });
    const second = (await get(`/api/movements?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((m: { type: string; sku: string }) => `${m.type}:${m.sku}`)).toEqual(['receipt:S2', 'sale:S1']);
    const third = (await get(`/api/movements?limit=2&cursor=${second.nextCursor}`)).json();
    expect(third.items.map((m: { type: string }) => m.type)).toEqual(['transfer_out']);
    expect(third.nextCursor).toBeUndefined();
    expect((await get('/api/movements?cursor=bm90LWEtY3Vyc29y')).statusCode).toBe(400);
  });

  it('lists movements newest first by occurredAt, page by page, found by any part of a product name', async () => {
    const all = (await get('/api/movements?sort=-occurredAt')).json().items as Array<{ occurredAt: string; position: string }>;
    expect(all.map((m) => m.occurredAt)).toEqual([...all.map((m) => m.occurredAt)].sort().reverse());
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await get(`/api/movements?sort=-occurredAt&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((m: { position: string; sku: string; locationId: string }) => `${m.position}/${m.locationId}/${m.sku}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((m) => `${m.position}/${(m as unknown as { locationId: string }).locationId}/${(m as unknown as { sku: string }).sku}`));
    const soap = (await get('/api/movements?q=SOA&sort=-occurredAt')).json().items;
    expect(soap.length).toBeGreaterThan(0);
    expect(soap.every((m: { sku: string; productName: string }) => m.sku === 'S1' && m.productName === 'Soap')).toBe(true);
    expect((await get('/api/movements?q=nothing-like-it')).json().items).toEqual([]);
  });

  it('answers CSV with a header row, quoting and a guard against formulas', async () => {
    const res = await get('/api/movements?locationId=A&format=csv');
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('position,occurredAt,recordedAt,type,locationId,locationName,sku,productName,quantity,balance,actor,source,reference,reason,note,effective');
    expect(lines[1]).toBe(`4,${T('08:00')},${T('08:00')},receipt,A,"Warehouse, North",S1,Soap,10,10,alice,api,"'=HYPERLINK(""http://x"")",,,true`);
    expect(lines[2]).toContain(',transfer_out,A,"Warehouse, North",S1,Soap,-3,7,');
    const viaAccept = await app.inject({ method: 'GET', url: '/api/locations', headers: { ...analyst, accept: 'text/csv' } });
    expect(viaAccept.body).toBe('id,name,type\r\nA,"Warehouse, North",warehouse\r\nB,Main St,store\r\n');
  });

  it('waits for minPosition and answers 504 when it is not reached', async () => {
    reached = true;
    expect((await get('/api/products?minPosition=8')).statusCode).toBe(200);
    expect(waited.at(-1)).toBe(8n);
    reached = false;
    const res = await get('/api/products?minPosition=99');
    expect(res.statusCode).toBe(504);
    expect(res.json()).toMatchObject({ status: 504, position: '8' });
    reached = true;
    expect((await get('/api/products?minPosition=abc')).statusCode).toBe(400);
  });

  it('answers aging and turnover', async () => {
    const aging = (await get('/api/analytics/aging?locationId=A')).json();
    expect(aging).toMatchObject({ asOf: '2026-03-05T12:00:00.000Z', position: '8', buckets: [{ bucket: '0-30', quantity: 7, value: 700 }, { bucket: '31-60', quantity: 0 }, {}, {}] });
    const turnover = (await get('/api/analytics/turnover?from=2026-03-02&to=2026-03-03&locationId=B')).json();
    expect(turnover).toMatchObject({ from: '2026-03-02', to: '2026-03-03', days: 1, cogs: 200, averageInventoryValue: 250, position: '8' });
    expect((await get('/api/analytics/turnover?from=2026-03-03&to=2026-03-02')).statusCode).toBe(400);
    expect((await get('/api/analytics/turnover')).json()).toMatchObject({ from: '2026-02-04', to: '2026-03-06', days: 30 });
  });

  it('lists open alerts including transfers in transit too long, within scope', async () => {
    const items = (await get('/api/alerts')).json().items;
    expect(items.map((a: { id: string }) => a.id)).toEqual(['low_stock|B|S1', 'transfer_overdue|t1']);
    expect(items[1]).toMatchObject({ alertType: 'transfer_overdue', transferId: 't1', locationId: 'B', raisedAt: T('11:00', '2026-03-04') });
    expect((await get('/api/alerts', principalHeader('staff', 'sam', ['C']))).json().items).toEqual([]);
  });

  it('answers transfers, one transfer, 404 for an unknown one and 403 outside scope', async () => {
    const list = (await get('/api/transfers?status=dispatched')).json();
    expect(list.items).toEqual([expect.objectContaining({ id: 't1', number: 'TR-1001', status: 'dispatched', lines: [{ sku: 'S1', quantity: 3, dispatched: 3, received: 0, shortfall: 0 }] })]);
    const csv = (await get('/api/transfers?format=csv')).body.split('\r\n');
    expect(csv[0]).toBe('number,id,fromLocationId,fromLocationName,toLocationId,toLocationName,status,createdAt,dispatchedAt,receivedAt,sku,productName,quantity,dispatched,received,shortfall');
    expect(csv[1]).toMatch(/^TR-1001,t1,A,"Warehouse, North",B,Main St,dispatched,.*,S1,Soap,3,3,0,0$/);
    expect((await get('/api/transfers/t1', managerOfB)).json()).toMatchObject({ id: 't1', status: 'dispatched', position: '8', lastPosition: '8' });
    expect((await get('/api/transfers/nope')).statusCode).toBe(404);
    expect((await get('/api/transfers/t1', principalHeader('staff', 'sam', ['C']))).statusCode).toBe(403);
    expect((await get('/api/products')).json().items).toEqual([{ sku: 'S1', name: 'Soap', unitCost: 100, reorderPoint: 3 }]);
  });
});
