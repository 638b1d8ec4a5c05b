/**
 * Bulk exports: given read models (projected from events, or 100,000 ledger rows in the
 * embedded store), when an export is asked as CSV or NDJSON, then every row arrives in log
 * order with names beside codes and money as amounts, resumable from any row's cursor; bad
 * filters are 400 problem+json naming the field, before any row.
 */
import { gunzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, type LedgerDoc } from '../../projections/models/collections';
import { projections } from '../../projections/models/index';
import { ledgerKey } from '../../projections/models/keys';
import { ev, project, recorded } from '../../projections/models/testing/project';
import type { ReadStore } from '../../projections/readstore/port';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { createTestApp, principalHeader } from '../../server/testing/test-app';
import type { EventStore, ReadAllOptions, RecordedEvent } from '../../write-side/eventstore/port';
import { exportRoutes } from './export-routes';

const T = (hhmm: string, day = '2026-03-02') => `${day}T${hhmm}:00.000Z`;
const events = recorded(
  ev('LocationRegistered', { locationId: 'A', name: 'Warehouse, North', locationType: 'warehouse' }, T('07:00')),
  ev('LocationRegistered', { locationId: 'B', name: 'Main St', locationType: 'store' }, T('07:00')),
  ev('ProductRegistered', { sku: 'S1', name: 'Soap', unitCost: 150, reorderPoint: 3 }, T('07:00')),
  ev('StockReceived', { locationId: 'A', receiptId: 'r1', lines: [{ sku: 'S1', quantity: 10, unitCost: 150 }] }, T('08:00')),
  ev('StockReceived', { locationId: 'B', receiptId: 'r2', lines: [{ sku: 'S1', quantity: 4, unitCost: 150 }] }, T('08:30')),
  ev('StockSold', { locationId: 'B', saleId: 's1', lines: [{ sku: 'S1', quantity: 3 }] }, T('09:00')),
  ev('StockSold', { locationId: 'B', saleId: 's2', lines: [{ sku: 'S1', quantity: 1 }] }, T('09:00', '2026-03-03')),
  ev('StockReturned', { locationId: 'B', returnId: 'ret1', lines: [{ sku: 'S1', quantity: 1 }] }, T('10:00', '2026-03-03')),
); // position 8

/** The log as an event store, for the raw event export. */
const fakeLog = (log: readonly RecordedEvent[]): EventStore => ({
  kind: 'embedded',
  readAll: async (o: ReadAllOptions = {}) => log.filter((e) => e.position > (o.after ?? 0n)).slice(0, o.maxCount ?? log.length),
  headPosition: async () => log.at(-1)?.position ?? 0n,
} as unknown as EventStore);

async function exportApp(readStore: ReadStore, position: bigint, log: readonly RecordedEvent[] = []): Promise<FastifyInstance> {
  const app = createTestApp();
  await exportRoutes(app, {
    readStore, eventStore: fakeLog(log), currency: 'USD', currentPosition: () => position,
    waitForPosition: async () => true, clock: () => new Date('2026-03-05T12:00:00.000Z'),
  });
  await app.ready();
  return app;
}

const analyst = principalHeader('analyst');
const ndjson = (body: string) => body.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
const csvLines = (body: string) => body.split('\r\n').filter(Boolean);

describe('exports of projected read models', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await exportApp(await (await project(projections, events)).store(), 8n, events);
  });
  afterAll(async () => app.close());
  const get = (url: string, headers: Record<string, string> = analyst) => app.inject({ method: 'GET', url, headers });

  it('streams movements as CSV with names beside codes, and as NDJSON with the same columns', async () => {
    const csv = await get('/api/exports/movements');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['x-stocktide-position']).toBe('8');
    const lines = csvLines(csv.body);
    expect(lines[0]).toBe('cursor,position,occurredAt,recordedAt,type,locationId,locationName,sku,productName,quantity,balance,effective,actor,source,reference,reason,note,transferId');
    expect(lines).toHaveLength(1 + 5);
    expect(lines[1]).toContain(',4,2026-03-02T08:00:00.000Z,2026-03-02T08:00:00.000Z,receipt,A,"Warehouse, North",S1,Soap,10,10,true,');
    const rows = ndjson((await get('/api/exports/movements?format=ndjson')).body);
    expect(rows.map((r) => [r.type, r.locationName, r.quantity, r.balance])).toEqual([
      ['receipt', 'Warehouse, North', 10, 10], ['receipt', 'Main St', 4, 4], ['sale', 'Main St', -3, 1], ['sale', 'Main St', -1, 0], ['return', 'Main St', 1, 1],
    ]);
  });

  it('filters on locationId, sku, from and to, and resumes after the row whose cursor it is given', async () => {
    const rows = ndjson((await get('/api/exports/movements?format=ndjson&locationId=B&from=2026-03-02T08:45:00Z&to=2026-03-03T09:30:00Z')).body);
    expect(rows.map((r) => r.position)).toEqual(['6', '7']);
    const resumed = ndjson((await get(`/api/exports/movements?format=ndjson&cursor=${String(rows[0]!.cursor)}`)).body);
    expect(resumed.map((r) => r.position)).toEqual(['7', '8']);
    const limited = ndjson((await get('/api/exports/movements?format=ndjson&limit=2')).body);
    expect(limited.map((r) => r.position)).toEqual(['4', '5']);
  });

  it('narrows a manager to their locations and refuses another one explicitly', async () => {
    const bob = principalHeader('manager', 'bob', ['B']);
    expect(ndjson((await get('/api/exports/movements?format=ndjson', bob)).body).every((r) => r.locationId === 'B')).toBe(true);
    expect((await get('/api/exports/movements?locationId=A', bob)).statusCode).toBe(403);
  });

  it('exports stock now with value as an amount in the named currency, and as of an instant from the ledger', async () => {
    const now = ndjson((await get('/api/exports/stock?format=ndjson', principalHeader('admin'))).body);
    expect(now.map((r) => [r.locationName, r.productName, r.onHand, r.value, r.currency])).toEqual([
      ['Warehouse, North', 'Soap', 10, 15, 'USD'], ['Main St', 'Soap', 1, 1.5, 'USD'],
    ]);
    const past = ndjson((await get('/api/exports/stock?format=ndjson&asOf=2026-03-02T12:00:00Z', principalHeader('admin'))).body);
    expect(past.map((r) => [r.locationId, r.onHand, r.asOf, r.value])).toEqual([['A', 10, '2026-03-02T12:00:00.000Z', undefined], ['B', 1, '2026-03-02T12:00:00.000Z', undefined]]);
  });

  it('exports daily sales with cost of goods sold as an amount (for those who see costs) and days in [from, to)', async () => {
    const rows = ndjson((await get('/api/exports/daily-sales?format=ndjson', principalHeader('admin'))).body);
    expect(rows.map((r) => [r.date, r.locationName, r.sold, r.returned, r.net, r.costOfGoodsSold, r.currency])).toEqual([
      ['2026-03-02', 'Main St', 3, 0, 3, 4.5, 'USD'], ['2026-03-03', 'Main St', 1, 1, 0, 0, 'USD'],
    ]);
    const staff = ndjson((await get('/api/exports/daily-sales?format=ndjson&from=2026-03-03T00:00:00Z', principalHeader('staff', 'sam', ['B']))).body);
    expect(staff.map((r) => [r.date, r.costOfGoodsSold])).toEqual([['2026-03-03', undefined]]);
  });

  it('exports the raw event log to auditors, data as JSON in one CSV cell, filtered on recordedAt', async () => {
    expect((await get('/api/exports/events')).statusCode).toBe(403);
    const auditor = principalHeader('auditor');
    const lines = csvLines((await get('/api/exports/events?from=2026-03-03T00:00:00Z', auditor)).body);
    expect(lines[0]).toBe('cursor,position,recordedAt,occurredAt,streamId,revision,type,data,metadata');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['7', '8']);
    const rows = ndjson((await get('/api/exports/events?format=ndjson&limit=1', auditor)).body);
    expect(rows[0]).toMatchObject({ position: '1', type: 'LocationRegistered', data: { locationId: 'A', name: 'Warehouse, North' } });
  });

  it('gzips when Accept-Encoding allows, and picks NDJSON from Accept', async () => {
    const res = await get('/api/exports/movements', { ...analyst, 'accept-encoding': 'br;q=1, gzip;q=0.5', accept: 'application/x-ndjson' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(ndjson(gunzipSync(res.rawPayload).toString('utf8'))).toHaveLength(5);
    expect((await get('/api/exports/movements', { ...analyst, 'accept-encoding': 'gzip;q=0' })).headers['content-encoding']).toBeUndefined();
  });

  it.each([
    ['an unknown filter', '/api/exports/movements?location=A', ''],
    ['a malformed date', '/api/exports/movements?from=yesterday', '/from'],
    ['from after to', '/api/exports/movements?from=2026-03-04T00:00:00Z&to=2026-03-03T00:00:00Z', '/from'],
    ['a limit out of range', '/api/exports/daily-sales?limit=0', '/limit'],
    ['a format that does not exist', '/api/exports/stock?format=xlsx', '/format'],
    ['a cursor of another export', '/api/exports/stock?cursor=bTowMDAwMDAwMDAwMDAwMDAwMDAwNC0wMDAwMA', '/cursor'],
  ])('refuses %s with 400 problem+json naming the field', async (_what, url, field) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const errors = (res.json() as { errors: Array<{ instancePath?: string; params?: { additionalProperty?: string } }> }).errors;
    if (field) expect(errors.map((e) => e.instancePath)).toContain(field);
    else expect(errors[0]?.params?.additionalProperty).toBe('location');
  });
});

describe('an export of 100,000 movements from the embedded store', () => {
  const ROWS = 100_000;
  let dir: string;
  let store: SqliteReadStore;
  let app: FastifyInstance;
  const row = (i: number): LedgerDoc => ({
    _id: ledgerKey(BigInt(i + 1), 0), position: String(i + 1), occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    recordedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), type: i % 2 === 0 ? 'receipt' : 'sale',
    locationId: `L${i % 7}`, sku: `SKU-${i % 101}`, quantity: i % 2 === 0 ? 5 : -5, balance: i % 2 === 0 ? 5 : 0,
    actor: 'user:alice', source: 'api', effective: true,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stocktide-exports-'));
    store = new SqliteReadStore({ path: join(dir, 'read.sqlite') });
    for (let start = 0; start < ROWS; start += 20_000) {
      const writes = Array.from({ length: 20_000 }, (_, k) => ({ op: 'put' as const, collection: COLLECTIONS.ledger, doc: row(start + k) }));
      await store.commit('exports-test', writes, BigInt(start + 20_000));
    }
    app = await exportApp(store, BigInt(ROWS));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams them as CSV: every row, first and last as stored', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/exports/movements', headers: analyst });
    expect(res.statusCode).toBe(200);
    const lines = csvLines(res.body);
    expect(lines).toHaveLength(1 + ROWS);
    expect(lines[1]).toMatch(/^[A-Za-z0-9_-]+,1,2026-01-01T00:00:00\.000Z,2026-01-01T00:00:00\.000Z,receipt,L0,,SKU-0,,5,5,true,user:alice,api,,,,$/);
    const last = ROWS - 1;
    expect(lines.at(-1)).toMatch(new RegExp(`^[A-Za-z0-9_-]+,${ROWS},2026-01-02T03:46:39\\.000Z,2026-01-02T03:46:39\\.000Z,sale,L${last % 7},,SKU-${last % 101},,-5,0,true,user:alice,api,,,,$`));
  }, 120_000);

  it('streams them as NDJSON: every row, first and last as stored, resumable from the last cursor', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/exports/movements?format=ndjson', headers: analyst });
    const rows = ndjson(res.body);
    expect(rows).toHaveLength(ROWS);
    expect(rows[0]).toMatchObject({ position: '1', type: 'receipt', locationId: 'L0', sku: 'SKU-0', quantity: 5, balance: 5 });
    expect(rows.at(-1)).toMatchObject({ position: String(ROWS), type: 'sale', locationId: `L${(ROWS - 1) % 7}`, sku: `SKU-${(ROWS - 1) % 101}`, quantity: -5 });
    const tail = await app.inject({ method: 'GET', url: `/api/exports/movements?format=ndjson&cursor=${String(rows[ROWS - 2]!.cursor)}`, headers: analyst });
    expect(ndjson(tail.body).map((r) => r.position)).toEqual([String(ROWS)]);
  }, 120_000);
});
