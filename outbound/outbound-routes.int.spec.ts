import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SqliteConnectionStore } from '../pos/connections/sqlite-connection-store';
import { ev, recorded, type EventSpec } from '../projections/models/testing/project';
import { createTestApp, principalHeader } from '../server/testing/test-app';
import { outboundRoutes } from './outbound-routes';
import { createOutboundSender } from './sender';
import { SqliteOutboundStore } from './store/sqlite-outbound-store';
import { manualClock, outbox, startReceiver, type Receiver } from './testing/harness';
import { verifySignature } from './webhooks/signing';

const T = (m: number) => `2026-03-01T10:${String(m).padStart(2, '0')}:00.000Z`;
const receipt = (id: string, quantity: number, m: number): EventSpec =>
  ev('StockReceived', { locationId: 'S1', receiptId: id, lines: [{ sku: 'A', quantity, unitCost: 100 }] }, T(m));
const admin = principalHeader('admin');

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => { await Promise.all(cleanup.splice(0).map((f) => f())); });

async function setup(status = 200) {
  const receiver: Receiver = await startReceiver(() => ({ status }));
  const box = outbox();
  const store = new SqliteOutboundStore(':memory:');
  const connections = new SqliteConnectionStore(':memory:');
  let head = 0n;
  const clock = manualClock();
  const app: FastifyInstance = createTestApp();
  await outboundRoutes(app, { store, connections, readStore: box.readStore, headPosition: async () => head, clock: clock.now });
  await app.ready();
  cleanup.push(() => app.close(), () => receiver.close());
  const sender = createOutboundSender({ store, readStore: box.readStore, connections, clock: clock.now, random: () => 0, log: () => {} });
  const events = recorded(receipt('r1', 10, 1), receipt('r2', 5, 2), receipt('r3', 1, 3));
  return { app, receiver, box, store, connections, sender, events, setHead: (p: bigint) => { head = p; } };
}

const subscribe = (app: FastifyInstance, payload: unknown, headers = admin) =>
  app.inject({ method: 'POST', url: '/api/webhooks/subscriptions', headers, payload: payload as object });

describe('outbound routes', () => {
  it('given a subscription without a secret, then one is generated, shown once and never listed', async () => {
    const { app, receiver } = await setup();
    const created = await subscribe(app, { url: `${receiver.url}/in`, kinds: ['stock.changed'] });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ url: `${receiver.url}/in`, kinds: ['stock.changed'], active: true, fromPosition: '0' });
    expect(body.secret).toMatch(/^whsec_/);
    const listed = await app.inject({ method: 'GET', url: '/api/webhooks/subscriptions', headers: admin });
    const { secret: _secret, ...view } = body;
    expect(listed.json().items).toEqual([view]);
    expect(listed.body).not.toContain(body.secret);
    const own = await subscribe(app, { url: `${receiver.url}/in`, kinds: ['stock.low'], secret: 'my-own-secret-value-123' });
    expect(own.json()).not.toHaveProperty('secret');
  });

  it('given bad subscriptions, then 400 problem+json and nothing is stored', async () => {
    const { app, store } = await setup();
    for (const payload of [
      { url: 'ftp://example.com/x', kinds: ['stock.changed'] },
      { url: 'https://user:pass@example.com/x', kinds: ['stock.changed'] },
      { url: 'https://example.com/x', kinds: ['stock.vanished'] },
      { url: 'https://example.com/x', kinds: [] },
      { url: 'https://example.com/x', kinds: ['stock.changed'], secret: 'short' },
    ]) {
      const answer = await subscribe(app, payload);
      expect(answer.statusCode, JSON.stringify(payload)).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
    }
    expect(await store.listSubscriptions()).toEqual([]);
  });

  it('given a non-admin, then the routes answer 403; without credentials 401', async () => {
    const { app } = await setup();
    expect((await subscribe(app, { url: 'https://example.com/x', kinds: ['stock.changed'] }, principalHeader('manager', 'm', ['S1']))).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/webhooks/deliveries', headers: principalHeader('analyst') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/pos/push-jobs' })).statusCode).toBe(401);
  });

  it('given a subscription created after some events, then it receives only later notifications; the log lists them', async () => {
    const { app, receiver, box, sender, events, setHead } = await setup();
    await box.add(events.slice(0, 2));
    setHead(2n);
    const created = (await subscribe(app, { url: `${receiver.url}/in`, kinds: ['stock.changed'] })).json();
    await sender.runOnce();
    expect(receiver.requests).toHaveLength(0);
    await box.add(events.slice(2));
    await sender.runOnce();
    expect(receiver.requests.map((r) => (r.json as { position: string }).position)).toEqual(['3']);
    expect(verifySignature(created.secret, receiver.requests[0]!.raw, receiver.requests[0]!.headers['x-stocktide-signature'] as string)).toBe(true);
    const log = await app.inject({ method: 'GET', url: `/api/webhooks/deliveries?subscriptionId=${created.id}&status=delivered&limit=10`, headers: admin });
    expect(log.statusCode).toBe(200);
    expect(log.json().items).toEqual([expect.objectContaining({
      id: `00000000000000000003:00000|${created.id}`, target: 'webhook', kind: 'stock.changed', status: 'delivered', attempts: 1, lastStatus: 200, position: '3',
    })]);
    expect(log.body).not.toContain(created.secret);
  });

  it('given a failed delivery, when retried by hand, then it is pending again and sent; an unknown one answers 404', async () => {
    const { app, receiver, box, sender, events } = await setup(410);
    const created = (await subscribe(app, { url: `${receiver.url}/in`, kinds: ['stock.changed'] })).json();
    await box.add(events.slice(0, 1));
    await sender.runOnce();
    const id = `00000000000000000001:00000|${created.id}`;
    const failed = await app.inject({ method: 'GET', url: '/api/webhooks/deliveries?status=failed', headers: admin });
    expect(failed.json().items.map((d: { id: string }) => d.id)).toEqual([id]);
    const retried = await app.inject({ method: 'POST', url: `/api/webhooks/deliveries/${encodeURIComponent(id)}/retry`, headers: admin });
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0 });
    await sender.runOnce();
    expect(receiver.requests).toHaveLength(2);
    expect((await app.inject({ method: 'POST', url: '/api/webhooks/deliveries/nope/retry', headers: admin })).statusCode).toBe(404);
  });

  it('given a delivered delivery, when retried, then 409', async () => {
    const { app, receiver, box, sender, events } = await setup(200);
    const created = (await subscribe(app, { url: `${receiver.url}/in`, kinds: ['stock.changed'] })).json();
    await box.add(events.slice(0, 1));
    await sender.runOnce();
    const id = `00000000000000000001:00000|${created.id}`;
    expect((await app.inject({ method: 'POST', url: `/api/webhooks/deliveries/${encodeURIComponent(id)}/retry`, headers: admin })).statusCode).toBe(409);
  });

  it('given a deleted subscription, then 204, then 404, and its pending deliveries fail instead of being sent', async () => {
    const { app, receiver, box, sender, store, events } = await setup();
    const created = (await subscribe(app, { url: `${receiver.url}/in`, kinds: ['stock.changed'] })).json();
    await box.add(events.slice(0, 1));
    // Fan out without sending: the delivery exists, then the subscription goes away.
    await store.addDelivery({
      id: 'manual|x', target: 'webhook', kind: 'stock.changed', notificationId: 'manual', subscriptionId: created.id,
      body: { id: 'manual', kind: 'stock.changed', position: '1', occurredAt: T(1), data: {} },
      position: '1', status: 'pending', attempts: 0, nextAttemptAt: T(0), createdAt: T(0), updatedAt: T(0),
    });
    expect((await app.inject({ method: 'DELETE', url: `/api/webhooks/subscriptions/${created.id}`, headers: admin })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: `/api/webhooks/subscriptions/${created.id}`, headers: admin })).statusCode).toBe(404);
    await sender.runOnce();
    expect(receiver.requests).toHaveLength(0);
    expect(await store.getDelivery('manual|x')).toMatchObject({ status: 'failed', lastError: 'the subscription was deleted' });
  });

  it('given POS connections, then push is switched per connection and push jobs are listed', async () => {
    const { app, store, connections } = await setup();
    const base = { secret: 'webhook-secret-1', locationMap: { L1: 'S1' }, skuMap: {}, disabled: false, createdAt: T(0), updatedAt: T(0) };
    await connections.createConnection({ ...base, id: 'shop', kind: 'shopify' });
    await connections.createConnection({ ...base, id: 'gen', kind: 'generic' });
    const put = (id: string, payload: unknown) => app.inject({ method: 'PUT', url: `/api/pos/connections/${id}/push`, headers: admin, payload: payload as object });
    expect((await put('shop', { enabled: true })).json()).toEqual({ connectionId: 'shop', enabled: true });
    expect(await store.pushEnabledConnections()).toEqual(['shop']);
    expect((await put('nope', { enabled: true })).statusCode).toBe(404);
    expect((await put('gen', { enabled: true })).statusCode).toBe(409);
    expect((await put('shop', { enabled: 'yes' })).statusCode).toBe(400);
    expect((await put('shop', { enabled: false })).statusCode).toBe(200);
    expect(await store.pushEnabledConnections()).toEqual([]);
    const jobs = await app.inject({ method: 'GET', url: '/api/pos/push-jobs?connectionId=shop&status=pending', headers: admin });
    expect(jobs.json()).toEqual({ items: [] });
    expect((await app.inject({ method: 'GET', url: '/api/pos/push-jobs?status=bogus', headers: admin })).statusCode).toBe(400);
  });
});
