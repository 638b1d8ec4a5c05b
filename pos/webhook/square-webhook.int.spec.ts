import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign } from '../signatures';
import { SQUARE_LOCATION, squareInventoryCountUpdated, squareOrder, squareOrderUpdated, squarePaymentUpdated } from '../testing/fixtures';
import { SQUARE_TOKEN, startFakeSquareApi, type FakeSquareApi } from '../testing/fake-square-api';
import { admin, createHarness, type Harness } from '../testing/pos-harness';
import { squareOrderCreatedNotification } from '../testing/documented-payloads';
import { startReconciliationJob } from '../reconciliation/reconciliation-job';

const SECRET = 'square-signature-key';
const NOTIFICATION_URL = 'https://stocktide.example.com/pos/sq/webhook';
let h: Harness;
let api: FakeSquareApi;

beforeEach(async () => {
  api = await startFakeSquareApi();
  h = await createHarness();
  await h.connect({
    id: 'sq', kind: 'square', secret: SECRET, notificationUrl: NOTIFICATION_URL, apiBaseUrl: api.baseUrl, accessToken: SQUARE_TOKEN,
    locationMap: { [SQUARE_LOCATION]: 'store-1' }, skuMap: { CATVAR1: 'SKU-1', CATVAR2: 'SKU-2' },
  });
});
afterEach(async () => {
  await h.close();
  await api.close();
});

const deliver = (body: string, signature = sign.square(SECRET, NOTIFICATION_URL, body)) =>
  h.app.inject({
    method: 'POST', url: '/pos/sq/webhook', payload: body,
    headers: { 'content-type': 'application/json', 'x-square-hmacsha256-signature': signature },
  });

describe('Square webhook', () => {
  it('given payment.updated and order.updated for one completed order, concurrently and repeated, then one sale', async () => {
    api.orders.set('ORD1', squareOrder({ id: 'ORD1', lines: [{ catalogObjectId: 'CATVAR1', quantity: '3' }, { quantity: '1' }] }));
    const bodies = [squarePaymentUpdated({ eventId: 'ev-pay', orderId: 'ORD1' }), squareOrderUpdated({ eventId: 'ev-ord', orderId: 'ORD1' })];
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => deliver(bodies[i % 2]!)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    const sales = await h.posEvents();
    expect(sales).toHaveLength(1);
    expect(sales[0]).toMatchObject({
      type: 'StockSold',
      data: { locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 3 }], occurredAt: '2024-06-02T12:00:00.000Z', pos: { kind: 'square', eventId: 'order:ORD1:COMPLETED', orderId: 'ORD1' } },
    });
    expect(new Set(answers.map((a) => a.json().position))).toEqual(new Set([sales[0]!.position.toString()]));
    expect(api.calls.every((c) => c.authorization === `Bearer ${SQUARE_TOKEN}`)).toBe(true);
    expect(await h.commands.onHand('store-1', 'SKU-1')).toBe(7);
  });

  it('given order.created for an order created COMPLETED (its only event), then the sale; a later payment.updated counts nothing', async () => {
    api.orders.set('API-ORD', squareOrder({ id: 'API-ORD', lines: [{ catalogObjectId: 'CATVAR2', quantity: '4' }] }));
    const created = await deliver(squareOrderCreatedNotification({ orderId: 'API-ORD', locationId: SQUARE_LOCATION, state: 'COMPLETED' }));
    expect(created.statusCode).toBe(200);
    expect((await deliver(squarePaymentUpdated({ eventId: 'ev-pay-api', orderId: 'API-ORD' }))).json()).toMatchObject({ duplicate: true });
    expect((await h.posEvents()).map((e) => e.data['lines'])).toEqual([[{ sku: 'SKU-2', quantity: 4 }]]);
  });

  it('given an order with returns, then its return lines come back to stock', async () => {
    api.orders.set('RET1', squareOrder({ id: 'RET1', returns: [{ catalogObjectId: 'CATVAR2', quantity: '2' }] }));
    expect((await deliver(squareOrderUpdated({ eventId: 'ev-r', orderId: 'RET1' }))).statusCode).toBe(200);
    expect(await h.posEvents()).toEqual([expect.objectContaining({ type: 'StockReturned', data: expect.objectContaining({ lines: [{ sku: 'SKU-2', quantity: 2 }] }) })]);
  });

  it('given a payment not completed, then nothing is fetched or stored', async () => {
    const res = await deliver(squarePaymentUpdated({ eventId: 'ev-p', orderId: 'ORD1', status: 'APPROVED' }));
    expect(res.json()).toMatchObject({ ignored: true });
    expect(api.calls).toEqual([]);
  });

  it('given a signature over the body without the notification URL, then 401 and nothing stored', async () => {
    api.orders.set('ORD1', squareOrder({ id: 'ORD1', lines: [{ catalogObjectId: 'CATVAR1', quantity: '1' }] }));
    const body = squarePaymentUpdated({ eventId: 'ev', orderId: 'ORD1' });
    expect((await deliver(body, sign.shopify(SECRET, body))).statusCode).toBe(401);
    expect((await deliver(body.replace('ORD1', 'ORD2'), sign.square(SECRET, NOTIFICATION_URL, body))).statusCode).toBe(401);
    expect(api.calls).toEqual([]);
    expect(await h.posEvents()).toEqual([]);
  });

  it('given an order the API cannot return, then quarantine; once it can, the retry records the sale', async () => {
    const res = await deliver(squareOrderUpdated({ eventId: 'ev-x', orderId: 'MISSING' }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ quarantined: true, reason: 'order-unavailable' });
    api.orders.set('MISSING', squareOrder({ id: 'MISSING', lines: [{ catalogObjectId: 'CATVAR1', quantity: '1' }] }));
    const all = await h.app.inject({ method: 'POST', url: '/api/pos/quarantine/retry-all', headers: admin });
    expect(all.json()).toMatchObject({ retried: 1, released: 1, stillOpen: 0 });
    expect(await h.posEvents()).toHaveLength(1);
  });

  it('given inventory.count.updated, then IN_STOCK totals are reconciled: a discrepancy only where they differ', async () => {
    const body = squareInventoryCountUpdated({
      eventId: 'ev-inv', counts: [
        { catalogObjectId: 'CATVAR1', quantity: '10' },
        { catalogObjectId: 'CATVAR2', quantity: '4' },
        { catalogObjectId: 'CATVAR2', quantity: '6', state: 'SOLD' },
      ],
    });
    expect((await deliver(body)).statusCode).toBe(200);
    expect((await deliver(body)).json()).toMatchObject({ duplicate: true });
    const events = await h.posEvents();
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ sku: 'SKU-2', posQuantity: 4, ourQuantity: 10, difference: -6 })]);
  });

  it('given the scheduled pull, then totals from batch-retrieve are reconciled the same way', async () => {
    api.counts = [
      { catalog_object_id: 'CATVAR1', catalog_object_type: 'ITEM_VARIATION', state: 'IN_STOCK', location_id: SQUARE_LOCATION, quantity: '12', calculated_at: '2024-06-02T11:00:00.000Z' },
      { catalog_object_id: 'CATVAR2', catalog_object_type: 'ITEM_VARIATION', state: 'IN_STOCK', location_id: SQUARE_LOCATION, quantity: '10', calculated_at: '2024-06-02T11:00:00.000Z' },
    ];
    const job = startReconciliationJob({ commands: h.commands, connections: h.store, intervalMs: 3_600_000, clock: () => new Date('2024-06-02T12:00:00.000Z') });
    try {
      const [run] = await job.runOnce();
      expect(run).toMatchObject({ connectionId: 'sq', reconciled: 2 });
    } finally {
      job.stop();
    }
    const request = api.calls.find((c) => c.path === '/v2/inventory/counts/batch-retrieve');
    expect(JSON.parse(request!.body!)).toMatchObject({ location_ids: [SQUARE_LOCATION], states: ['IN_STOCK'] });
    expect((await h.posEvents()).map((e) => e.data)).toEqual([expect.objectContaining({ sku: 'SKU-1', posQuantity: 12, difference: 2 })]);
  });
});
