/**
 * Issue 17, shadow period: a store in shadow pushes nothing to its POS (the fake Square API sees
 * no inventory change) through a day of sales, its readiness report shows zero differences
 * after the POS's own total is compared, an admin takes it live
 * (audited, 409 twice, 404 unknown) and the next change's balance is pushed; switching back undoes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQUARE_TOKEN, startFakeSquareApi, type FakeSquareApi } from '../pos/testing/fake-square-api';
import { startFullApp, type FullApp } from '../server/testing/full-app';
import { startReconciliationJob } from '../pos/reconciliation/reconciliation-job';

let full: FullApp;
let square: FakeSquareApi;
const pushes = () => square.calls.filter((c) => c.path === '/v2/inventory/changes/batch-create');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually(check: () => boolean, timeoutMs = 8000): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(100)) if (check()) return true;
  return check();
}

beforeAll(async () => {
  square = await startFakeSquareApi();
  full = await startFullApp();
  const ok = async (url: string, body: unknown, method: 'POST' | 'PUT' = 'POST') => {
    const res = await full.call(method, url, full.admin, body);
    expect(res.statusCode, res.body).toBeLessThan(300);
  };
  await ok('/api/locations', { id: 'store-a', name: 'A', type: 'store' });
  await ok('/api/products', { sku: 'MUG-1', name: 'Mug', unitCost: 300 });
  await ok('/api/stock/receipts', { locationId: 'store-a', lines: [{ sku: 'MUG-1', quantity: 10 }] });
  await ok('/api/pos/connections', {
    id: 'sq', kind: 'square', secret: 'sq-secret', notificationUrl: 'https://example.test/pos/sq/webhook',
    locationMap: { LA: 'store-a' }, skuMap: { VA1: 'MUG-1' }, apiBaseUrl: square.baseUrl, accessToken: SQUARE_TOKEN,
  });
}, 60_000);

afterAll(async () => {
  await full?.close();
  await square?.close();
});

describe('shadow period', () => {
  it('pushes nothing for a location in shadow, reports readiness, and pushes again once live', async () => {
    const shadow = await full.post('/api/locations/store-a/mode', full.admin, { mode: 'shadow', reason: 'pilot' });
    expect(shadow.statusCode, shadow.body).toBe(200);
    expect(shadow.json()).toMatchObject({ locationId: 'store-a', mode: 'shadow', previousMode: 'live' });
    expect((await full.call('PUT', '/api/pos/connections/sq/push', full.admin, { enabled: true })).statusCode).toBe(200);
    await full.built.services.runner.waitForPosition(BigInt(shadow.json().position), 5000);

    // A day of sales in shadow: one every four hours over the last 24 hours.
    let last = '0';
    for (let h = 20; h >= 0; h -= 4) {
      const sold = await full.post('/api/stock/sales', full.admin, {
        locationId: 'store-a', saleId: `day-${h}`, occurredAt: new Date(Date.now() - h * 3_600_000).toISOString(), lines: [{ sku: 'MUG-1', quantity: 1 }],
      });
      expect(sold.statusCode, sold.body).toBe(201);
      last = sold.json().position;
    }
    await full.built.services.runner.waitForPosition(BigInt(last), 5000);
    await sleep(2500); // the sender runs every second: give it two runs
    expect(pushes()).toHaveLength(0);
    // The POS's own total after the same day (the scheduled Square pull) agrees: nothing differs.
    square.counts = [{ catalog_object_id: 'VA1', catalog_object_type: 'ITEM_VARIATION', state: 'IN_STOCK', location_id: 'LA', quantity: '4', calculated_at: new Date().toISOString() }];
    const { services } = full.built;
    const job = startReconciliationJob({ commands: services.commands, connections: services.posStore, intervalMs: 3_600_000, mapping: services.catalog.posHooks.mapping });
    const [run] = await job.runOnce();
    job.stop();
    expect(run).toMatchObject({ connectionId: 'sq', reconciled: 1 }); // compared, found equal
    expect(run!.error).toBeUndefined();
    if (run!.position) await services.runner.waitForPosition(BigInt(run!.position), 5000);
    expect(pushes()).toHaveLength(0);

    const readiness = await full.get('/api/locations/store-a/readiness', full.admin);
    expect(readiness.statusCode, readiness.body).toBe(200);
    expect(readiness.json()).toMatchObject({ mode: 'shadow', lastComparison: { skusDiffering: 0, unitsDiffering: 0 }, differences: [] });
    expect(readiness.json().daysInShadow).toBeGreaterThanOrEqual(0);

    const live = await full.post('/api/locations/store-a/mode', full.admin, { mode: 'live' });
    expect(live.statusCode).toBe(200);
    await full.built.services.runner.waitForPosition(BigInt(live.json().position), 5000);
    const next = await full.post('/api/stock/adjustments', full.admin, { locationId: 'store-a', sku: 'MUG-1', quantity: -1, reason: 'shrinkage' });
    expect(next.statusCode).toBe(201);
    expect(await eventually(() => pushes().length > 0)).toBe(true);
    expect(JSON.parse(pushes()[0]!.body!).changes[0].physical_count).toMatchObject({ catalog_object_id: 'VA1', location_id: 'LA', quantity: '3' });
  }, 30_000);

  it('refuses going live twice and an unknown location, appending nothing; an admin can undo', async () => {
    const before = await full.head();
    const twice = await full.post('/api/locations/store-a/mode', full.admin, { mode: 'live' });
    expect(twice.statusCode).toBe(409);
    expect(twice.headers['content-type']).toContain('application/problem+json');
    expect((await full.post('/api/locations/nowhere/mode', full.admin, { mode: 'live' })).statusCode).toBe(404);
    expect((await full.post('/api/locations/store-a/mode', full.admin, { mode: 'maybe' })).statusCode).toBe(400);
    const manager = await full.tokenFor('manager', ['store-a']);
    expect((await full.post('/api/locations/store-a/mode', manager, { mode: 'shadow' })).statusCode).toBe(403);
    expect(await full.head()).toBe(before);
    const undo = await full.post('/api/locations/store-a/mode', full.admin, { mode: 'shadow', reason: 'went live too early' });
    expect(undo.statusCode).toBe(200);
    await full.built.services.runner.waitForPosition(BigInt(undo.json().position), 5000);
    const history = (await full.get('/api/locations/store-a/readiness', full.admin)).json().history as Array<{ mode: string; by: string }>;
    expect(history.map((h) => h.mode)).toEqual(['shadow', 'live', 'shadow']);
    expect(history[0]!.by).toBe('admin');
  });
});
