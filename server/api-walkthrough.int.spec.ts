/**
 * The "Done when", through the composed app: a walk through the API yields the
 * expected events and read models, bad input stores nothing, and stock is never oversold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genericSignature, isProblem, startFullApp, type FullApp, type Headers } from './testing/full-app';

let f: FullApp;
let manager: Headers;

beforeAll(async () => {
  f = await startFullApp();
  manager = await f.tokenFor('manager', ['wh-1', 'store-a', 'store-c']);
});
afterAll(async () => {
  await f?.close();
});

interface StockItem { locationId: string; sku: string; onHand: number; inTransitIn: number; inTransitOut: number }
const stock = async (query: string): Promise<{ items: StockItem[]; position: string }> => {
  const res = await f.get(`/api/stock?${query}`, f.admin);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const balance = async (locationId: string, sku: string, minPosition: string) => {
  const { items } = await stock(`locationId=${locationId}&sku=${sku}&minPosition=${minPosition}`);
  const item = items[0];
  return item ? { onHand: item.onHand, inTransitIn: item.inTransitIn, inTransitOut: item.inTransitOut } : undefined;
};
const created = async (url: string, headers: Headers, body?: unknown): Promise<{ position: string; id?: string }> => {
  const res = await f.post(url, headers, body);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(201);
  return res.json();
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a walk through the API', () => {
  it('given locations, products, a receipt, an adjustment, a count and a transfer, then the log and the read models say exactly that', async () => {
    const start = (await f.head()) + 1n;
    await created('/api/locations', f.admin, { id: 'wh-1', name: 'Warehouse 1', type: 'warehouse' });
    await created('/api/locations', f.admin, { id: 'store-a', name: 'Store A', type: 'store' });
    await created('/api/products', f.admin, { sku: 'SKU-1', name: 'Mug', unitCost: 250 });
    await created('/api/products', f.admin, { sku: 'SKU-2', name: 'Plate', unitCost: 400, reorderPoint: 2 });

    const receipt = await created('/api/stock/receipts', manager, { locationId: 'wh-1', lines: [{ sku: 'SKU-1', quantity: 20 }], reference: 'PO-1' });
    expect(await balance('wh-1', 'SKU-1', receipt.position)).toEqual({ onHand: 20, inTransitIn: 0, inTransitOut: 0 });
    // An instant strictly between the receipt and the adjustment (timestamps have millisecond resolution).
    await pause(3);
    const beforeAdjustment = new Date().toISOString();
    await pause(3);

    const adjustment = await created('/api/stock/adjustments', manager, { locationId: 'wh-1', sku: 'SKU-1', quantity: -2, reason: 'damaged' });
    expect(await balance('wh-1', 'SKU-1', adjustment.position)).toEqual({ onHand: 18, inTransitIn: 0, inTransitOut: 0 });
    const count = await created('/api/stock/counts', manager, { locationId: 'wh-1', lines: [{ sku: 'SKU-1', countedQuantity: 17 }] });
    expect(await balance('wh-1', 'SKU-1', count.position)).toEqual({ onHand: 17, inTransitIn: 0, inTransitOut: 0 });

    const transfer = await created('/api/transfers', manager, { fromLocationId: 'wh-1', toLocationId: 'store-a', lines: [{ sku: 'SKU-1', quantity: 5 }] });
    const id = transfer.id!;
    const dispatched = await created(`/api/transfers/${id}/dispatch`, manager);
    expect(await balance('wh-1', 'SKU-1', dispatched.position)).toEqual({ onHand: 12, inTransitIn: 0, inTransitOut: 5 });
    expect(await balance('store-a', 'SKU-1', dispatched.position)).toEqual({ onHand: 0, inTransitIn: 5, inTransitOut: 0 });

    // `final: false`: the rest stays in transit (the default records it as a shortfall).
    const partly = await created(`/api/transfers/${id}/receive`, manager, { lines: [{ sku: 'SKU-1', quantity: 3 }], final: false });
    expect(await balance('store-a', 'SKU-1', partly.position)).toEqual({ onHand: 3, inTransitIn: 2, inTransitOut: 0 });
    expect(await balance('wh-1', 'SKU-1', partly.position)).toEqual({ onHand: 12, inTransitIn: 0, inTransitOut: 2 });
    const rest = await created(`/api/transfers/${id}/receive`, manager);
    expect(await balance('store-a', 'SKU-1', rest.position)).toEqual({ onHand: 5, inTransitIn: 0, inTransitOut: 0 });
    expect(await balance('wh-1', 'SKU-1', rest.position)).toEqual({ onHand: 12, inTransitIn: 0, inTransitOut: 0 });

    const events = await f.events(start.toString());
    expect(events.map((e) => e.type)).toEqual([
      'LocationRegistered', 'LocationRegistered', 'ProductRegistered', 'ProductRegistered',
      'StockReceived', 'StockAdjusted', 'StockCounted', 'TransferCreated', 'TransferDispatched', 'TransferReceived', 'TransferReceived',
    ]);
    const positions = events.map((e) => BigInt(e.position));
    for (let i = 1; i < positions.length; i++) expect(positions[i]! > positions[i - 1]!).toBe(true);
    expect(events.at(-1)!.position).toBe(rest.position);
    expect(events[4]).toMatchObject({ data: { locationId: 'wh-1', lines: [{ sku: 'SKU-1', quantity: 20, unitCost: 250 }] }, metadata: { source: 'api' } });

    // asOf an instant before the adjustment: the balance as it was then.
    const then = await stock(`locationId=wh-1&sku=SKU-1&asOf=${beforeAdjustment}&minPosition=${rest.position}`);
    expect(then.items.map((i) => [i.locationId, i.sku, i.onHand])).toEqual([['wh-1', 'SKU-1', 20]]);

    // The ledger's running balance: each row follows from the one before, and ends at on-hand.
    const ledger = await f.get(`/api/movements?locationId=wh-1&sku=SKU-1&minPosition=${rest.position}`, f.admin);
    expect(ledger.statusCode).toBe(200);
    const rows = (ledger.json() as { items: Array<{ type: string; quantity: number; balance: number; effective: boolean }> }).items;
    expect(rows.map((r) => r.type)).toEqual(['receipt', 'adjustment', 'count', 'transfer_out']);
    let running = 0;
    for (const row of rows) {
      if (row.effective) running += row.quantity;
      expect(row.balance).toBe(running);
    }
    expect(running).toBe(12);
  });

  it('given invalid bodies, then each gets 400 problem+json with Ajv errors and the log is untouched', async () => {
    const before = await f.head();
    const bad: Array<[string, unknown]> = [
      ['/api/locations', { id: 'x', name: 'X', type: 'kiosk' }],
      ['/api/products', { name: 'no sku' }],
      ['/api/stock/receipts', { locationId: 'wh-1', lines: [{ sku: 'SKU-1', quantity: 0 }] }],
      ['/api/stock/receipts', { locationId: 'wh-1', lines: [{ sku: 'SKU-1', quantity: 2.5 }] }],
      ['/api/stock/adjustments', { locationId: 'wh-1', sku: 'SKU-1', quantity: 0, reason: 'damaged' }],
      ['/api/stock/adjustments', { locationId: 'wh-1', sku: 'SKU-1', quantity: 1, reason: 'gift' }],
      ['/api/stock/counts', { locationId: 'wh-1', lines: [{ sku: 'SKU-1', countedQuantity: -1 }] }],
      ['/api/transfers', { fromLocationId: 'wh-1', toLocationId: 'store-a', lines: [] }],
      ['/api/transfers', { fromLocationId: 'wh-1', toLocationId: 'store-a', lines: [{ sku: 'SKU-1', quantity: 1 }], extra: 1 }],
    ];
    for (const [url, body] of bad) {
      const res = await f.post(url, f.admin, body);
      expect(isProblem(res, 400), `${url} ${JSON.stringify(body)}: ${res.statusCode} ${res.body}`).toBe(true);
      expect((res.json() as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    }
    expect(await f.head()).toBe(before);
  });

  it('given a transfer of more than the origin holds, then its dispatch gets 409 and appends nothing', async () => {
    const { id } = await created('/api/transfers', manager, { fromLocationId: 'wh-1', toLocationId: 'store-a', lines: [{ sku: 'SKU-1', quantity: 1000 }] });
    const before = await f.head();
    const res = await f.post(`/api/transfers/${id}/dispatch`, manager);
    expect(isProblem(res, 409), res.body).toBe(true);
    expect(await f.head()).toBe(before);
  });

  it('given 10 units and 50 concurrent one-unit dispatches over HTTP, then exactly 10 go through', async () => {
    await created('/api/locations', f.admin, { id: 'store-c', name: 'Store C', type: 'store' });
    await created('/api/stock/receipts', manager, { locationId: 'store-c', lines: [{ sku: 'SKU-2', quantity: 10 }] });
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push((await created('/api/transfers', manager, { fromLocationId: 'store-c', toLocationId: 'wh-1', lines: [{ sku: 'SKU-2', quantity: 1 }] })).id!);
    }
    const answers = await Promise.all(ids.map((id) => f.post(`/api/transfers/${id}/dispatch`, manager)));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    const last = answers.filter((a) => a.statusCode === 201).map((a) => BigInt((a.json() as { position: string }).position))
      .reduce((a, b) => (b > a ? b : a)).toString();
    expect(await balance('store-c', 'SKU-2', last)).toEqual({ onHand: 0, inTransitIn: 0, inTransitOut: 10 });
    expect(await balance('wh-1', 'SKU-2', last)).toEqual({ onHand: 0, inTransitIn: 10, inTransitOut: 0 });
    const dispatches = (await f.events()).filter((e) => e.type === 'TransferDispatched' && ids.includes(String(e.data.transferId)));
    expect(dispatches).toHaveLength(10);
  });

  it('given a POS sale of more than the store holds, then it is kept: the balance goes negative and an alert is raised', async () => {
    const secret = 'till-secret-0001';
    await created('/api/pos/connections', f.admin, { id: 'till-a', kind: 'generic', secret, locationMap: { 'pos-a': 'store-a' } });
    const raw = JSON.stringify({ eventId: 'ticket-1', type: 'sale', locationId: 'pos-a', occurredAt: new Date().toISOString(), lines: [{ sku: 'SKU-1', quantity: 50 }] });
    const res = await f.app.inject({
      method: 'POST', url: '/pos/till-a/webhook', payload: raw,
      headers: { 'content-type': 'application/json', 'x-ims-signature': genericSignature(secret, raw) },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { position } = res.json() as { position: string };
    expect(await balance('store-a', 'SKU-1', position)).toEqual({ onHand: -45, inTransitIn: 0, inTransitOut: 0 });
    const alerts = await f.get(`/api/alerts?locationId=store-a&minPosition=${position}`, f.admin);
    expect(alerts.statusCode).toBe(200);
    expect((alerts.json() as { items: unknown[] }).items).toContainEqual(
      expect.objectContaining({ alertType: 'negative_stock', locationId: 'store-a', sku: 'SKU-1' }),
    );
    const repeat = await f.app.inject({
      method: 'POST', url: '/pos/till-a/webhook', payload: raw,
      headers: { 'content-type': 'application/json', 'x-ims-signature': genericSignature(secret, raw) },
    });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toMatchObject({ duplicate: true });
    expect(await balance('store-a', 'SKU-1', position)).toMatchObject({ onHand: -45 });
  });

  it('answers /health without credentials in the contract\'s shape', async () => {
    const res = await f.get('/health', {});
    expect(res.statusCode).toBe(200);
    const body = res.json() as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', eventStore: 'embedded', readStore: 'embedded', position: expect.stringMatching(/^[0-9]+$/) });
  });
});
