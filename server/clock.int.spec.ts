/**
 * The clock port: an app built with an injected clock takes "now" from it everywhere the
 * composition root wires it: commands' recordedAt (API and POS paths), purchase-order due
 * dates and the overdue alert's age, the forecast's "today", count sessions, location modes and
 * the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../pos/signatures';
import { manualClock } from './clock';
import { startFullApp, type FullApp } from './testing/full-app';

const T0 = new Date('2031-03-03T09:00:00.000Z');
const clock = manualClock(T0);
let f: FullApp;
const ok = async (method: 'POST' | 'PUT', url: string, body?: unknown) => {
  const res = await f.call(method, url, f.admin, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(method === 'PUT' ? 200 : 201);
  return res.json() as Record<string, unknown> & { position: string };
};

beforeAll(async () => {
  f = await startFullApp({ clock: clock.now });
});
afterAll(() => f.close());

describe('injected clock', () => {
  it('stamps recordedAt of API commands and of signed POS sales with the injected time, not the wall clock', async () => {
    await ok('POST', '/api/locations', { id: 'shop', name: 'Shop', type: 'store' });
    await ok('POST', '/api/products', { sku: 'TEA', name: 'Tea', unitCost: 300 });
    await ok('POST', '/api/stock/receipts', { locationId: 'shop', lines: [{ sku: 'TEA', quantity: 40 }] });
    await ok('POST', '/api/pos/connections', { id: 'till', kind: 'generic', secret: 'till-secret', locationMap: { 'T-1': 'shop' } });
    clock.advance(3_600_000);
    const body = JSON.stringify({ eventId: 's-1', type: 'sale', locationId: 'T-1', occurredAt: T0.toISOString(), lines: [{ sku: 'TEA', quantity: 2 }] });
    const sale = await f.app.inject({ method: 'POST', url: '/pos/till/webhook', payload: body, headers: { 'content-type': 'application/json', 'x-ims-signature': sign.generic('till-secret', body) } });
    expect(sale.statusCode).toBe(200);
    const events = await f.events();
    const stamped = events.filter((e) => typeof e.data['recordedAt'] === 'string');
    expect(stamped.length).toBeGreaterThan(3);
    const received = events.find((e) => e.type === 'StockReceived')!;
    expect(received.data['recordedAt']).toBe(T0.toISOString());
    const sold = events.find((e) => e.type === 'StockSold')!;
    expect(sold.data).toMatchObject({ occurredAt: T0.toISOString(), recordedAt: new Date(T0.getTime() + 3_600_000).toISOString() });
  });

  it('dates a purchase order from the injected time, and its overdue alert appears when the injected clock passes the due date', async () => {
    await ok('POST', '/api/suppliers', { id: 'leaf', name: 'Leaf Ltd', leadTimeDays: 2 });
    const drafted = await ok('POST', '/api/purchase-orders', { id: 'po-1', supplierId: 'leaf', locationId: 'shop', lines: [{ sku: 'TEA', quantity: 10, unitCost: 300 }] });
    expect(drafted.id).toBe('po-1');
    const sentAt = clock.now();
    const sent = await ok('POST', '/api/purchase-orders/po-1/send');
    const order = (await f.get(`/api/purchase-orders/po-1?minPosition=${sent.position}`, f.admin)).json() as { sentAt: string; expectedAt: string; overdue: boolean };
    expect(order).toMatchObject({ sentAt: sentAt.toISOString(), expectedAt: new Date(sentAt.getTime() + 2 * 86_400_000).toISOString(), overdue: false });
    const overdueAlerts = async () => ((await f.get('/api/alerts', f.admin)).json() as { items: Array<{ alertType?: string; type?: string }> }).items
      .filter((a) => (a.alertType ?? a.type) === 'purchase_order_overdue');
    expect(await overdueAlerts()).toEqual([]);
    clock.advance(3 * 86_400_000);
    expect(await overdueAlerts()).toHaveLength(1);
  });

  it('opens a count session, changes a location\'s mode and records the audit entry at the injected time', async () => {
    const at = clock.now().toISOString();
    const opened = await ok('POST', '/api/count-sessions', { locationId: 'shop' });
    const moded = await f.call('POST', '/api/locations/shop/mode', f.admin, { mode: 'shadow' });
    expect(moded.statusCode, moded.body).toBeLessThan(300);
    const events = await f.events();
    const session = events.find((e) => e.type === 'CountSessionOpened' && e.data['sessionId'] === opened.id)!;
    expect(session.data).toMatchObject({ occurredAt: at, recordedAt: at });
    expect(events.find((e) => e.type === 'LocationModeChanged')!.data).toMatchObject({ occurredAt: at });
    const audited = events.filter((e) => e.type === 'AuditRecorded');
    expect(audited.length).toBeGreaterThan(0);
    for (const e of audited) expect(Date.parse(String(e.data['recordedAt']))).toBeGreaterThanOrEqual(T0.getTime());
  });

  it('forecasts from the injected "today"', async () => {
    const res = await f.get('/api/forecast?locationId=shop&sku=TEA&days=3', f.admin);
    // Three days of history (2031-03-03 to the injected today, 03-06) are not enough: the 422 counts them to the injected day.
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'not_enough_history', historyDays: 3 });
  });
});
