/**
 * Purchasing through the composed app (server/app.ts, embedded stores, real security):
 * suppliers, rules, suggestions that rebalance before buying, a PO drafted from them, sent
 * (the signed webhook arrives on 127.0.0.1), received in two parts; bad input names the field
 * and appends nothing; roles and location scopes hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryReadStore } from '../projections/readstore/memory-read-store';
import { rebuildAndCompare } from '../projections/runner/rebuild';
import { liveProjections } from '../server/live-projections';
import { startReceiver, type Receiver } from '../outbound/testing/harness';
import { verifySignature } from '../outbound/webhooks/signing';
import { isProblem, startFullApp, type FullApp, type Headers } from '../server/testing/full-app';

let f: FullApp;
let receiver: Receiver;
let analyst: Headers;
let staffStore: Headers;
let staffOther: Headers;
let managerStore: Headers;
const SECRET = 'purchasing-webhook-secret-1';

const ok = async (method: 'POST' | 'PUT', url: string, body: unknown, who: Headers = f.admin, status = method === 'PUT' ? 200 : 201) => {
  const res = await f.call(method, url, who, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  return res.json() as { position: string; id?: string } & Record<string, unknown>;
};
const read = async <T>(url: string, who: Headers = f.admin): Promise<T> => {
  const res = await f.get(url, who);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as T;
};

type Suggestion = { id: string; kind: 'transfer' | 'purchase'; locationId: string; sku: string; quantity: number; fromLocationId?: string; supplierId?: string; unitCost?: number; reason: string };
type Order = { id: string; status: string; lines: Array<{ sku: string; ordered: number; received: number; closed: number; unitCost: number }>; expectedAt?: string; sentAt?: string; overdue: boolean; receipts: unknown[] };

beforeAll(async () => {
  f = await startFullApp();
  receiver = await startReceiver(() => ({ status: 200 }));
  analyst = await f.tokenFor('analyst');
  staffStore = await f.tokenFor('staff', ['store-1']);
  staffOther = await f.tokenFor('staff', ['store-2']);
  managerStore = await f.tokenFor('manager', ['store-1']);
  await ok('POST', '/api/locations', { id: 'wh-1', name: 'Warehouse', type: 'warehouse' });
  await ok('POST', '/api/locations', { id: 'store-1', name: 'Store 1', type: 'store' });
  await ok('POST', '/api/locations', { id: 'store-2', name: 'Store 2', type: 'store' });
  await ok('POST', '/api/products', { sku: 'MUG', name: 'Mug', unitCost: 100 });
  await ok('POST', '/api/stock/receipts', { locationId: 'wh-1', lines: [{ sku: 'MUG', quantity: 80, unitCost: 100 }] });
  await ok('POST', '/api/stock/receipts', { locationId: 'store-1', lines: [{ sku: 'MUG', quantity: 4, unitCost: 100 }] });
  await ok('POST', '/api/suppliers', { id: 'acme', name: 'Acme Ceramics', leadTimeDays: 3, email: 'orders@acme.test', currency: 'USD' });
  await ok('POST', '/api/suppliers', { id: 'budget', name: 'Budget Mugs', leadTimeDays: 10 });
  await ok('POST', '/api/suppliers/acme/prices', { sku: 'MUG', unitCost: 250, minOrderQuantity: 24, packSize: 12, preferred: true });
  await ok('POST', '/api/suppliers/budget/prices', { sku: 'MUG', unitCost: 200 });
  await ok('PUT', '/api/reorder-rules', { locationId: 'store-1', sku: 'MUG', min: 20, max: 100 });
  await ok('PUT', '/api/reorder-rules', { locationId: 'wh-1', sku: 'MUG', min: 10, max: 50 });
  await ok('POST', '/api/webhooks/subscriptions', { url: `${receiver.url}/po`, kinds: ['purchase_order.sent'], secret: SECRET });
});
afterAll(async () => {
  await receiver?.close();
  await f?.close();
});

describe('purchasing end to end', () => {
  let transferSuggestion: Suggestion;
  let purchaseSuggestion: Suggestion;
  let poId: string;

  it('suggests a transfer of the warehouse surplus first, then a PO for the rest from the preferred supplier, in packs', async () => {
    const head = (await f.head()).toString();
    const { items } = await read<{ items: Suggestion[] }>(`/api/reorder-suggestions?locationId=store-1&minPosition=${head}`, analyst);
    expect(items.map((s) => [s.kind, s.fromLocationId ?? s.supplierId, s.quantity])).toEqual([['transfer', 'wh-1', 30], ['purchase', 'acme', 72]]);
    [transferSuggestion, purchaseSuggestion] = items as [Suggestion, Suggestion];
    expect(purchaseSuggestion).toMatchObject({ unitCost: 250, lineCost: 18_000 });
    expect(purchaseSuggestion.reason).toBe('available 4 < min 20; order 72 = up to max 100 after 30 by transfer (66), rounded to pack of 12 from preferred supplier acme');
    const onOrder = await read<{ items: Array<Record<string, number | string>> }>('/api/on-order?locationId=store-1&sku=MUG');
    expect(onOrder.items).toEqual([{ locationId: 'store-1', sku: 'MUG', onHand: 4, inTransitIn: 0, plannedIn: 0, onOrder: 0, reservedOut: 0, available: 4 }]);
  });

  it('applies both at once (transfer, then draft); the same selection again is stale (409) and appends nothing', async () => {
    const ids = [transferSuggestion.id, purchaseSuggestion.id];
    const res = await ok('POST', '/api/reorder-suggestions/apply', { suggestionIds: ids });
    const { transfers, purchaseOrders } = res as unknown as { transfers: Array<{ id: string }>; purchaseOrders: Array<{ id: string; supplierId: string; locationId: string }> };
    expect(transfers).toHaveLength(1);
    expect(purchaseOrders).toEqual([expect.objectContaining({ supplierId: 'acme', locationId: 'store-1', suggestionIds: [purchaseSuggestion.id] })]);
    expect(transfers).toEqual([expect.objectContaining({ suggestionIds: [transferSuggestion.id] })]);
    poId = purchaseOrders[0]!.id;
    const order = await read<Order>(`/api/purchase-orders/${poId}?minPosition=${res.position}`);
    expect(order).toMatchObject({ status: 'draft', lines: [{ sku: 'MUG', ordered: 72, received: 0, closed: 0, unitCost: 250 }] });
    const onOrder = await read<{ items: Array<Record<string, number>> }>('/api/on-order?locationId=store-1');
    expect(onOrder.items[0]).toMatchObject({ plannedIn: 30, onOrder: 72, available: 106 });
    expect((await read<{ items: Suggestion[] }>('/api/reorder-suggestions?locationId=store-1')).items).toEqual([]);

    const before = await f.head();
    const stale = await f.post('/api/reorder-suggestions/purchase-orders', f.admin, { suggestionIds: [purchaseSuggestion.id] });
    expect(isProblem(stale, 409)).toBe(true);
    expect(stale.json()).toMatchObject({ code: 'stale-suggestion', field: 'suggestionIds/0' });
    expect(await f.head()).toBe(before);
  });

  it('sends the PO: expected = sent + lead time, and the signed purchase_order.sent webhook reaches 127.0.0.1', async () => {
    expect(isProblem(await f.post(`/api/purchase-orders/${poId}/send`, staffStore), 403)).toBe(true);
    const draftReceipt = await f.post(`/api/purchase-orders/${poId}/receive`, f.admin, { lines: [{ sku: 'MUG', quantity: 1 }] });
    expect(isProblem(draftReceipt, 409)).toBe(true);
    const sent = await ok('POST', `/api/purchase-orders/${poId}/send`, undefined, managerStore);
    const order = await read<Order>(`/api/purchase-orders/${poId}?minPosition=${sent.position}`);
    expect(order.status).toBe('sent');
    expect(Date.parse(order.expectedAt!) - Date.parse(order.sentAt!)).toBe(3 * 86_400_000);
    expect((await f.post(`/api/purchase-orders/${poId}/send`, f.admin)).json()).toMatchObject({ duplicate: true });

    await expect.poll(() => receiver.requests.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const [request] = receiver.requests;
    expect(verifySignature(SECRET, request!.raw, request!.headers['x-stocktide-signature'] as string)).toBe(true);
    expect(request!.json).toMatchObject({
      kind: 'purchase_order.sent',
      data: { purchaseOrderId: poId, supplierId: 'acme', supplierEmail: 'orders@acme.test', lines: [{ sku: 'MUG', quantity: 72, unitCost: 250 }], totalCost: 18_000 },
    });
  });

  it('receives in two parts at the PO cost (FIFO value follows), once per receipt id; over-receipt is 409', async () => {
    expect(isProblem(await f.post(`/api/purchase-orders/${poId}/receive`, staffOther, { lines: [{ sku: 'MUG', quantity: 1 }] }), 403)).toBe(true);
    const first = await ok('POST', `/api/purchase-orders/${poId}/receive`, { receiptId: 'dock-1', lines: [{ sku: 'MUG', quantity: 40 }] }, staffStore);
    const again = await ok('POST', `/api/purchase-orders/${poId}/receive`, { receiptId: 'dock-1', lines: [{ sku: 'MUG', quantity: 40 }] }, staffStore);
    expect(again).toMatchObject({ duplicate: true, position: first.position });
    let order = await read<Order>(`/api/purchase-orders/${poId}?minPosition=${first.position}`);
    expect(order).toMatchObject({ status: 'partially_received', lines: [{ received: 40 }] });

    const before = await f.head();
    const over = await f.post(`/api/purchase-orders/${poId}/receive`, staffStore, { lines: [{ sku: 'MUG', quantity: 33 }] });
    expect(isProblem(over, 409)).toBe(true);
    expect(over.json()).toMatchObject({ code: 'over-receipt', field: 'lines/0/quantity' });
    // The same receipt id with other units is not a resend (a tampered offline queue): 409, nothing stored.
    const reused = await f.post(`/api/purchase-orders/${poId}/receive`, staffStore, { receiptId: 'dock-1', lines: [{ sku: 'MUG', quantity: 4 }] });
    expect(isProblem(reused, 409)).toBe(true);
    expect(reused.json()).toMatchObject({ code: 'receipt-id-reused', field: 'receiptId' });
    expect(await f.head()).toBe(before);

    const second = await ok('POST', `/api/purchase-orders/${poId}/receive`, { receiptId: 'dock-2', lines: [{ sku: 'MUG', quantity: 32 }] }, staffStore);
    order = await read<Order>(`/api/purchase-orders/${poId}?minPosition=${second.position}`);
    expect(order).toMatchObject({ status: 'received', overdue: false, lines: [{ ordered: 72, received: 72 }] });
    expect(order.receipts).toHaveLength(2);
    const stock = await read<{ items: Array<{ onHand: number; value: number }> }>(`/api/stock?locationId=store-1&sku=MUG&minPosition=${second.position}`);
    expect(stock.items[0]).toMatchObject({ onHand: 76, value: 4 * 100 + 72 * 250 });
    const events = (await f.events()).filter((e) => e.type === 'StockReceived' && e.data.purchaseOrderId === poId);
    expect(events.map((e) => [e.streamId, (e.data.lines as Array<{ quantity: number; unitCost: number }>)[0]])).toEqual([
      ['location-store-1', { sku: 'MUG', quantity: 40, unitCost: 250 }], ['location-store-1', { sku: 'MUG', quantity: 32, unitCost: 250 }],
    ]);
    const csv = await f.call('GET', `/api/purchase-orders/${poId}?format=csv`, analyst);
    expect(csv.body.split('\r\n')[1]).toBe(`${poId},received,acme,store-1,MUG,72,72,0,0,250,18000`);
  });

  it('closes short, cancels, and raises an overdue alert for a late order', async () => {
    const draft = await ok('POST', '/api/purchase-orders', { supplierId: 'budget', locationId: 'store-1', lines: [{ sku: 'MUG', quantity: 10 }] });
    const id = draft.id!;
    await ok('POST', `/api/purchase-orders/${id}/send`, undefined);
    const r = await ok('POST', `/api/purchase-orders/${id}/receive`, { lines: [{ sku: 'MUG', quantity: 6, closeShort: true }] }, staffStore);
    const order = await read<Order & { closedShort: boolean }>(`/api/purchase-orders/${id}?minPosition=${r.position}`);
    expect(order).toMatchObject({ status: 'received', closedShort: true, lines: [{ ordered: 10, received: 6, closed: 4, unitCost: 200 }] });
    expect(isProblem(await f.post(`/api/purchase-orders/${id}/cancel`, f.admin), 409)).toBe(true);

    const late = await ok('POST', '/api/purchase-orders', { supplierId: 'acme', locationId: 'store-2', lines: [{ sku: 'MUG', quantity: 12, unitCost: 240 }] });
    const sent = await ok('POST', `/api/purchase-orders/${late.id!}/send`, undefined);
    // A lead time of 3 days has not passed: no alert yet; the alert is computed when asked (clock-dependent).
    const alerts = await read<{ items: Array<{ alertType: string; locationId: string }> }>(`/api/alerts?type=purchase_order_overdue&minPosition=${sent.position}`);
    expect(alerts.items).toEqual([]);
    const cancelled = await ok('POST', `/api/purchase-orders/${late.id!}/cancel`, { reason: 'duplicate' });
    expect((await read<Order>(`/api/purchase-orders/${late.id!}?minPosition=${cancelled.position}`)).status).toBe('cancelled');
    expect(isProblem(await f.post(`/api/purchase-orders/${late.id!}/receive`, f.admin, { lines: [{ sku: 'MUG', quantity: 1 }] }), 409)).toBe(true);
  });
});

describe('days of cover', () => {
  it('fills a rule with a target days of cover to demand × days, from the sales of the last 28 days', async () => {
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
    await ok('POST', '/api/stock/receipts', { locationId: 'store-2', lines: [{ sku: 'MUG', quantity: 10 }] });
    await ok('POST', '/api/stock/sales', { locationId: 'store-2', occurredAt: threeDaysAgo, lines: [{ sku: 'MUG', quantity: 28 }] });
    const rule = await ok('PUT', '/api/reorder-rules', { locationId: 'store-2', sku: 'MUG', min: 20, max: 200, targetDaysOfCover: 30 });
    const { items } = await read<{ items: Suggestion[] }>(`/api/reorder-suggestions?locationId=store-2&minPosition=${rule.position}`);
    expect(items).toEqual([expect.objectContaining({ kind: 'purchase', supplierId: 'acme', quantity: 48 })]);
    expect(items[0]!.reason).toBe('available -18 < min 20; order 48 = up to 30 (30 days of cover at 1/day = 30, max 200), rounded to pack of 12 from preferred supplier acme');
  });
});

describe('bad input names the field and appends nothing', () => {
  it.each([
    ['PUT', '/api/reorder-rules', { locationId: 'store-1', sku: 'MUG', min: 30, max: 20 }, 400, 'max'],
    ['PUT', '/api/reorder-rules', { locationId: 'nowhere', sku: 'MUG', min: 1, max: 2 }, 404, 'locationId'],
    ['PUT', '/api/reorder-rules', { locationId: 'store-1', sku: 'NOPE', min: 1, max: 2 }, 404, 'sku'],
    ['POST', '/api/purchase-orders', { supplierId: 'ghost', locationId: 'store-1', lines: [{ sku: 'MUG', quantity: 1, unitCost: 1 }] }, 404, 'supplierId'],
    ['POST', '/api/purchase-orders', { supplierId: 'acme', locationId: 'store-1', lines: [{ sku: 'NOPE', quantity: 1, unitCost: 1 }] }, 404, 'lines/0/sku'],
    ['POST', '/api/purchase-orders', { supplierId: 'acme', locationId: 'store-1', lines: [{ sku: 'MUG', quantity: 1.5, unitCost: 1 }] }, 400, '/lines/0/quantity'],
    ['POST', '/api/purchase-orders', { supplierId: 'acme', locationId: 'store-1', lines: [{ sku: 'MUG', quantity: 0, unitCost: 1 }] }, 400, '/lines/0/quantity'],
    ['POST', '/api/purchase-orders', { supplierId: 'acme', locationId: 'store-1', lines: [{ sku: 'MUG', quantity: 1, unitCost: -5 }] }, 400, '/lines/0/unitCost'],
    ['POST', '/api/suppliers', { id: 'x', name: 'X', leadTimeDays: -1 }, 400, '/leadTimeDays'],
    ['POST', '/api/suppliers/acme/prices', { sku: 'MUG', unitCost: -1 }, 400, '/unitCost'],
    ['POST', '/api/reorder-suggestions/transfers', { suggestionIds: ['sg-gone'] }, 409, 'suggestionIds/0'],
  ] as const)('%s %s %j → %i naming %s', async (method, url, body, status, field) => {
    const before = await f.head();
    const res = await f.call(method, url, f.admin, body);
    expect(isProblem(res, status), res.body).toBe(true);
    const problem = res.json() as { field?: string; errors?: Array<{ instancePath: string }> };
    if (field.startsWith('/')) expect(problem.errors?.map((e) => e.instancePath)).toContain(field);
    else expect(problem.field).toBe(field);
    expect(await f.head()).toBe(before);
  });

  it('analysts read but never write; staff cannot draft or send', async () => {
    expect((await f.get('/api/purchase-orders', analyst)).statusCode).toBe(200);
    expect((await f.get('/api/suppliers', analyst)).statusCode).toBe(200);
    expect(isProblem(await f.post('/api/suppliers', analyst, { id: 'z', name: 'Z', leadTimeDays: 1 }), 403)).toBe(true);
    expect(isProblem(await f.post('/api/purchase-orders', staffStore, { supplierId: 'acme', locationId: 'store-1', lines: [{ sku: 'MUG', quantity: 1 }] }), 403)).toBe(true);
    expect(isProblem(await f.post('/api/purchase-orders', managerStore, { supplierId: 'acme', locationId: 'store-2', lines: [{ sku: 'MUG', quantity: 1 }] }), 403)).toBe(true);
  });
});

describe('rebuild', () => {
  it('replaying the whole log gives identical read models, purchasing and outbox included', async () => {
    const head = await f.head();
    expect(await f.built.services.runner.waitForPosition(head, 10_000)).toBe(true);
    expect(liveProjections.map((p) => p.name)).toContain('purchasing');
    const report = await rebuildAndCompare({
      eventStore: f.built.services.eventStore, live: f.built.services.readStore, fresh: new MemoryReadStore(), projections: liveProjections,
    });
    expect(report.differences).toEqual([]);
    expect(report.events).toBeGreaterThan(10);
  });
});
