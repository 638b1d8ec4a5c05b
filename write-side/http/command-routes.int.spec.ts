import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../server/http/access';
import { createTestApp, principalHeader as headerOf } from '../../server/testing/test-app';
import { createStockCommands } from '../commands/service';
import { SqliteEventStore } from '../eventstore/sqlite-event-store';
import { commandRoutes } from './command-routes';

// principalHeader's `username = role` default narrows the username to Role; any name is meant.
const principalHeader = (role: Role, username: string = role, locations: string[] = []) => headerOf(role, username as Role, locations);
const NOW = new Date('2025-03-01T12:00:00.000Z');
const admin = principalHeader('admin', 'ada');
const managerA = principalHeader('manager', 'mo', ['A']);
const staffA = principalHeader('staff', 'sam', ['A']);
const staffB = principalHeader('staff', 'bea', ['B']);

let app: FastifyInstance;
let store: SqliteEventStore;

const post = (url: string, headers: Record<string, string>, payload?: unknown) =>
  app.inject({ method: 'POST', url, headers, ...(payload !== undefined && { payload: payload as object }) });
const head = () => store.headPosition();
const events = async () => (await store.readAll({ maxCount: 1000 }));

beforeEach(async () => {
  store = new SqliteEventStore({ path: ':memory:' });
  app = createTestApp();
  await commandRoutes(app, { commands: createStockCommands(store), eventStore: store, clock: () => NOW });
  await app.ready();
  for (const body of [{ id: 'A', name: 'Shop A', type: 'store' }, { id: 'B', name: 'Depot B', type: 'warehouse' }]) {
    expect((await post('/api/locations', admin, body)).statusCode).toBe(201);
  }
  expect((await post('/api/products', admin, { sku: 'X', name: 'Product X', unitCost: 300 })).statusCode).toBe(201);
});
afterEach(async () => {
  await app.close();
  await store.close();
});

const expectProblem = (response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number) => {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json()).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
};

describe('registering locations and products', () => {
  it('answers 201 with the position and stores the event', async () => {
    const response = await post('/api/locations', admin, { id: 'C', name: 'Shop C', type: 'store' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: 'C', position: (await head()).toString() });
    expect((await events()).at(-1)).toMatchObject({ type: 'LocationRegistered', streamId: 'location-C', metadata: { actor: { id: 'ada' } } });
  });

  it('refuses a second registration of an id with 409, and non-admins with 403', async () => {
    const before = await head();
    expectProblem(await post('/api/locations', admin, { id: 'A', name: 'again', type: 'store' }), 409);
    expectProblem(await post('/api/products', managerA, { sku: 'Z', name: 'Zed' }), 403);
    expect(await head()).toBe(before);
  });
});

describe('POST /api/stock/receipts', () => {
  it('receives stock for a staff member of that location', async () => {
    const response = await post('/api/stock/receipts', { ...staffA, 'x-correlation-id': 'po-77' }, {
      locationId: 'A', lines: [{ sku: 'X', quantity: 12 }], reference: 'PO-77',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toEqual({ receiptId: expect.any(String), position: (await head()).toString() });
    expect((await events()).at(-1)).toMatchObject({
      type: 'StockReceived',
      data: { locationId: 'A', receiptId: body.receiptId, lines: [{ sku: 'X', quantity: 12, unitCost: 300 }], recordedAt: NOW.toISOString() },
      metadata: { actor: { kind: 'user', id: 'sam' }, source: 'api', correlationId: 'po-77' },
    });
  });

  it('answers a re-sent receipt id as a duplicate of the original', async () => {
    const body = { locationId: 'A', receiptId: 'GRN-1', lines: [{ sku: 'X', quantity: 1 }] };
    const first = (await post('/api/stock/receipts', staffA, body)).json();
    const again = await post('/api/stock/receipts', staffA, body);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual({ receiptId: 'GRN-1', position: first.position, duplicate: true });
  });

  it('refuses invalid bodies with 400 problem+json listing the errors, storing nothing', async () => {
    const before = await head();
    for (const body of [
      { locationId: 'A', lines: [{ sku: 'X', quantity: 0 }] },
      { locationId: 'A', lines: [] },
      { locationId: 'A', lines: [{ sku: 'X', quantity: 1.5 }] },
      { locationId: 'A', lines: [{ sku: 'X', quantity: '3' }] },
      { locationId: 'A', lines: [{ sku: 'X', quantity: 1 }], extra: true },
      { lines: [{ sku: 'X', quantity: 1 }] },
    ]) {
      const response = await post('/api/stock/receipts', admin, body);
      expectProblem(response, 400);
      expect(response.json().errors.length).toBeGreaterThan(0);
    }
    expect(await head()).toBe(before);
  });

  it('answers 404 for an unknown location or sku', async () => {
    expect((await post('/api/stock/receipts', admin, { locationId: 'Z', lines: [{ sku: 'X', quantity: 1 }] })).json())
      .toMatchObject({ status: 404, code: 'unknown-location' });
    expect((await post('/api/stock/receipts', admin, { locationId: 'A', lines: [{ sku: 'Q', quantity: 1 }] })).json())
      .toMatchObject({ status: 404, code: 'unknown-sku' });
  });

  it('forbids a staff member of another location (403), storing nothing', async () => {
    const before = await head();
    expectProblem(await post('/api/stock/receipts', staffB, { locationId: 'A', lines: [{ sku: 'X', quantity: 1 }] }), 403);
    expectProblem(await post('/api/stock/receipts', principalHeader('analyst'), { locationId: 'A', lines: [{ sku: 'X', quantity: 1 }] }), 403);
    expect(await head()).toBe(before);
  });
});

describe('adjustments and counts', () => {
  beforeEach(async () => {
    await post('/api/stock/receipts', admin, { locationId: 'A', lines: [{ sku: 'X', quantity: 5 }] });
  });

  it('adjusts stock, and refuses a write-off below zero with 409', async () => {
    const ok = await post('/api/stock/adjustments', staffA, { locationId: 'A', sku: 'X', quantity: -2, reason: 'damaged', note: 'wet box' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ adjustmentId: expect.any(String) });
    const before = await head();
    const refused = await post('/api/stock/adjustments', staffA, { locationId: 'A', sku: 'X', quantity: -4, reason: 'theft' });
    expectProblem(refused, 409);
    expect(refused.json()).toMatchObject({ code: 'insufficient-stock' });
    expectProblem(await post('/api/stock/adjustments', staffA, { locationId: 'A', sku: 'X', quantity: 0, reason: 'theft' }), 400);
    expectProblem(await post('/api/stock/adjustments', staffA, { locationId: 'A', sku: 'X', quantity: 1, reason: 'gift' }), 400);
    expect(await head()).toBe(before);
  });

  it('refuses a quantity against the reason\'s direction with 400 naming `quantity`, appending nothing', async () => {
    const before = await head();
    for (const body of [
      { locationId: 'A', sku: 'X', quantity: 1, reason: 'damaged' },
      { locationId: 'A', sku: 'X', quantity: 1, reason: 'expired' },
      { locationId: 'A', sku: 'X', quantity: -1, reason: 'found' },
    ]) {
      const refused = await post('/api/stock/adjustments', staffA, body);
      expectProblem(refused, 400);
      expect(refused.json()).toMatchObject({ code: 'wrong-direction', errors: [{ instancePath: '/quantity', message: expect.stringContaining(body.reason) }] });
    }
    expect(await head()).toBe(before);
    const expired = await post('/api/stock/adjustments', staffA, { locationId: 'A', sku: 'X', quantity: -1, reason: 'expired' });
    expect(expired.statusCode).toBe(201);
    expect((await events()).at(-1)).toMatchObject({ type: 'StockAdjusted', data: { sku: 'X', quantity: -1, reason: 'expired' } });
  });

  it('records a count with its book quantity and adjustment', async () => {
    const response = await post('/api/stock/counts', staffA, { locationId: 'A', lines: [{ sku: 'X', countedQuantity: 3 }], countedAt: '2025-03-01T12:00:00Z' });
    expect(response.statusCode).toBe(201);
    expect((await events()).at(-1)).toMatchObject({
      type: 'StockCounted',
      data: { countId: response.json().countId, lines: [{ sku: 'X', countedQuantity: 3, bookQuantity: 5, adjustment: -2 }], occurredAt: '2025-03-01T12:00:00Z' },
    });
    expectProblem(await post('/api/stock/counts', staffA, { locationId: 'A', lines: [{ sku: 'X', countedQuantity: 3 }], countedAt: '2025-03-02T12:00:00Z' }), 409);
    expectProblem(await post('/api/stock/counts', staffA, { locationId: 'A', lines: [{ sku: 'X', countedQuantity: 3 }], countedAt: 'yesterday' }), 400);
  });
});

describe('transfers', () => {
  beforeEach(async () => {
    await post('/api/stock/receipts', admin, { locationId: 'A', lines: [{ sku: 'X', quantity: 5 }] });
  });

  it('creates, dispatches and receives a transfer; the receiving staff needs the destination', async () => {
    const created = await post('/api/transfers', managerA, { fromLocationId: 'A', toLocationId: 'B', lines: [{ sku: 'X', quantity: 4 }] });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    expect(created.json()).toEqual({ id, position: (await head()).toString() });

    expect((await post(`/api/transfers/${id}/dispatch`, managerA)).statusCode).toBe(201);
    expect((await events()).at(-1)).toMatchObject({ type: 'TransferDispatched', streamId: 'location-A' });

    expectProblem(await post(`/api/transfers/${id}/receive`, staffA, {}), 403);
    const partial = await post(`/api/transfers/${id}/receive`, staffB, { lines: [{ sku: 'X', quantity: 1 }], final: false });
    expect(partial.statusCode).toBe(201);
    expectProblem(await post(`/api/transfers/${id}/receive`, staffB, { lines: [{ sku: 'X', quantity: 4 }] }), 409);
    const rest = await post(`/api/transfers/${id}/receive`, staffB);
    expect(rest.statusCode).toBe(201);
    expect((await events()).at(-1)).toMatchObject({
      type: 'TransferReceived', streamId: 'location-B', data: { lines: [{ sku: 'X', quantity: 3 }], shortfall: [], completed: true },
    });
    expectProblem(await post(`/api/transfers/${id}/receive`, staffB, {}), 409);
  });

  it('a partial receipt resent with its receiptId counts once; the same id with other lines is 409; another id applies', async () => {
    const { id } = (await post('/api/transfers', managerA, { fromLocationId: 'A', toLocationId: 'B', lines: [{ sku: 'X', quantity: 4 }] })).json();
    expect((await post(`/api/transfers/${id}/dispatch`, managerA)).statusCode).toBe(201);
    const receipts = async () => (await events()).filter((e) => e.type === 'TransferReceived');
    const body = { lines: [{ sku: 'X', quantity: 1 }], final: false, receiptId: 'dev1-r1' };

    const first = await post(`/api/transfers/${id}/receive`, staffB, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ id, position: (await head()).toString() });
    expect((await receipts()).at(-1)).toMatchObject({
      streamId: 'location-B', data: { transferId: id, lines: [{ sku: 'X', quantity: 1 }], completed: false, receiptId: 'dev1-r1' },
    });

    // the offline queue resends after a lost answer: the original's position, no new event
    const before = await head();
    const again = await post(`/api/transfers/${id}/receive`, staffB, body);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual({ id, position: first.json().position, duplicate: true });
    expect(await head()).toBe(before);

    const reused = await post(`/api/transfers/${id}/receive`, staffB, { ...body, lines: [{ sku: 'X', quantity: 2 }] });
    expectProblem(reused, 409);
    expect(reused.json()).toMatchObject({ code: 'receipt-id-reused' });
    expect(await head()).toBe(before);
    expectProblem(await post(`/api/transfers/${id}/receive`, staffB, { ...body, receiptId: '' }), 400);
    expect(await head()).toBe(before);

    const second = await post(`/api/transfers/${id}/receive`, staffB, { ...body, receiptId: 'dev1-r2' });
    expect(second.statusCode).toBe(201);
    expect(second.json().duplicate).toBeUndefined();
    expect((await receipts()).map((e) => e.data.lines)).toEqual([[{ sku: 'X', quantity: 1 }], [{ sku: 'X', quantity: 1 }]]);

    // the final delivery, resent after the transfer completed, is a repeat too (not "already received")
    const last = { lines: [{ sku: 'X', quantity: 2 }], receiptId: 'dev1-r3' };
    const done = await post(`/api/transfers/${id}/receive`, staffB, last);
    expect(done.statusCode).toBe(201);
    expect((await receipts()).at(-1)).toMatchObject({ data: { completed: true, shortfall: [], receiptId: 'dev1-r3' } });
    expect((await post(`/api/transfers/${id}/receive`, staffB, last)).json()).toEqual({ id, position: done.json().position, duplicate: true });
    expect(await receipts()).toHaveLength(3);
  });

  it('refuses a dispatch that exceeds the origin (409), an unknown transfer (404) and another origin\'s manager (403)', async () => {
    const { id } = (await post('/api/transfers', admin, { id: 'big', fromLocationId: 'A', toLocationId: 'B', lines: [{ sku: 'X', quantity: 6 }] })).json();
    expect(id).toBe('big');
    const before = await head();
    expect((await post(`/api/transfers/${id}/dispatch`, managerA)).json()).toMatchObject({ status: 409, code: 'insufficient-stock' });
    expectProblem(await post('/api/transfers/nope/dispatch', managerA), 404);
    expectProblem(await post(`/api/transfers/${id}/dispatch`, principalHeader('manager', 'max', ['B'])), 403);
    expectProblem(await post('/api/transfers', principalHeader('manager', 'max', ['B']), { fromLocationId: 'A', toLocationId: 'B', lines: [{ sku: 'X', quantity: 1 }] }), 403);
    expectProblem(await post('/api/transfers', managerA, { fromLocationId: 'A', toLocationId: 'A', lines: [{ sku: 'X', quantity: 1 }] }), 400);
    expect(await head()).toBe(before);
  });

  it('cancels a transfer before dispatch', async () => {
    const { id } = (await post('/api/transfers', managerA, { fromLocationId: 'A', toLocationId: 'B', lines: [{ sku: 'X', quantity: 1 }] })).json();
    const cancelled = await post(`/api/transfers/${id}/cancel`, managerA, { reason: 'not needed' });
    expect(cancelled.statusCode).toBe(201);
    expect((await events()).at(-1)).toMatchObject({ type: 'TransferCancelled', data: { transferId: id, reason: 'not needed' } });
    expect((await post(`/api/transfers/${id}/dispatch`, managerA)).json()).toMatchObject({ status: 409, code: 'transfer-cancelled' });
  });
});

describe('manual sales, returns and reorder points', () => {
  it('lets a manager enter a sale (even below zero) and a return; staff may not', async () => {
    const sale = await post('/api/stock/sales', managerA, { locationId: 'A', saleId: 'paper-1', occurredAt: '2025-03-01T10:00:00Z', lines: [{ sku: 'X', quantity: 2, unitPrice: 999 }] });
    expect(sale.statusCode).toBe(201);
    const again = await post('/api/stock/sales', managerA, { locationId: 'A', saleId: 'paper-1', occurredAt: '2025-03-01T10:00:00Z', lines: [{ sku: 'X', quantity: 2, unitPrice: 999 }] });
    expect(again.json()).toEqual({ position: sale.json().position, duplicate: true });
    expect((await post('/api/stock/returns', managerA, { locationId: 'A', lines: [{ sku: 'X', quantity: 1 }] })).statusCode).toBe(201);
    expectProblem(await post('/api/stock/sales', staffA, { locationId: 'A', lines: [{ sku: 'X', quantity: 1 }] }), 403);
    expect((await events()).filter((e) => e.type === 'StockSold')).toHaveLength(1);
  });

  it('sets a reorder point (200)', async () => {
    const response = await app.inject({ method: 'PUT', url: '/api/reorder-points', headers: managerA, payload: { locationId: 'A', sku: 'X', reorderPoint: 4 } });
    expect(response.statusCode).toBe(200);
    expect((await events()).at(-1)).toMatchObject({ type: 'ReorderPointSet', data: { reorderPoint: 4 } });
  });
});

describe('GET /api/events', () => {
  it('pages through the raw log for auditors, positions as strings', async () => {
    const auditor = principalHeader('auditor', 'aud');
    const first = await app.inject({ method: 'GET', url: '/api/events?limit=2', headers: auditor });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.events).toHaveLength(2);
    expect(page.events[0]).toMatchObject({ position: '1', streamId: 'location-A', revision: '0', type: 'LocationRegistered' });
    expect(page.nextPosition).toBe('3');
    const rest = (await app.inject({ method: 'GET', url: `/api/events?fromPosition=${page.nextPosition}&limit=2`, headers: auditor })).json();
    expect(rest.events.map((e: { position: string }) => e.position)).toEqual(['3']);
    expect(rest.nextPosition).toBeUndefined();
  });

  it('is for auditors only and bounds its inputs', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/events', headers: principalHeader('analyst') }), 403);
    expectProblem(await app.inject({ method: 'GET', url: '/api/events?limit=1001', headers: admin }), 400);
    expectProblem(await app.inject({ method: 'GET', url: '/api/events?fromPosition=-1', headers: admin }), 400);
  });
});
