/**
 * Hostile input against every write endpoint of the composed app: no 5xx, a 4xx
 * problem+json for each payload, the event log unchanged, the process still answering.
 * And no query string reaches the read store as an operator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertHostileInputRejected, type WriteRoute } from '../security/hostile-input';
import { listRoutes } from '../security/route-registry';
import { CSV_BODY_LIMIT } from '../pos/csv/csv-routes';
import { FULL_APP_ADMIN_PASSWORD, isProblem, startFullApp, type FullApp, type Headers } from './testing/full-app';

let f: FullApp;
let adminToken: Headers;
let transferId = '';
let lastPosition = '0';

beforeAll(async () => {
  f = await startFullApp();
  // An API token, not the session: POST /api/auth/logout is among the routes walked.
  adminToken = await f.tokenFor('admin');
  const ok = async (url: string, body: unknown) => {
    const res = await f.post(url, f.admin, body);
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    lastPosition = (res.json() as { position?: string }).position ?? lastPosition;
    return res.json() as { id?: string };
  };
  await ok('/api/locations', { id: 'store-a', name: 'Store A', type: 'store' });
  await ok('/api/locations', { id: 'store-b', name: 'Store B', type: 'store' });
  await ok('/api/products', { sku: 'SKU-1', name: 'Mug', unitCost: 250 });
  await ok('/api/stock/receipts', { locationId: 'store-a', lines: [{ sku: 'SKU-1', quantity: 50 }] });
  // A transfer that could be dispatched, received or cancelled: a body sneaking through would show.
  transferId = (await ok('/api/transfers', { fromLocationId: 'store-a', toLocationId: 'store-b', lines: [{ sku: 'SKU-1', quantity: 2 }] })).id!;
  await ok('/api/pos/connections', { id: 'till-a', kind: 'generic', secret: 'till-secret-0001', locationMap: { 'pos-a': 'store-a' } });
});
afterAll(async () => {
  await f?.close();
});

const loc = 'store-a';
/** A body each write route would accept (keyed by `METHOD url-pattern`); `null`: the route takes no body. */
const validBodies: Record<string, object | null> = {
  'POST /api/auth/login': { username: 'admin', password: FULL_APP_ADMIN_PASSWORD },
  'POST /api/auth/logout': null,
  'POST /api/users': { username: 'new-user', password: 'a-long-password-1', role: 'staff', locations: [loc] },
  'PATCH /api/users/:username': { role: 'manager', locations: [loc], disabled: false },
  'POST /api/tokens': { name: 'ci', role: 'analyst', expiresInDays: 30 },
  'DELETE /api/tokens/:id': null,
  'POST /api/locations': { id: 'store-z', name: 'Store Z', type: 'store' },
  'POST /api/products': { sku: 'SKU-Z', name: 'Zed', unitCost: 100, reorderPoint: 3 },
  'PUT /api/reorder-points': { locationId: loc, sku: 'SKU-1', reorderPoint: 4 },
  'POST /api/stock/receipts': { locationId: loc, lines: [{ sku: 'SKU-1', quantity: 5, unitCost: 250 }], reference: 'PO-9' },
  'POST /api/stock/adjustments': { locationId: loc, sku: 'SKU-1', quantity: -1, reason: 'damaged', note: 'wet' },
  'POST /api/stock/counts': { locationId: loc, lines: [{ sku: 'SKU-1', countedQuantity: 40 }] },
  'POST /api/stock/sales': { locationId: loc, saleId: 'paper-1', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 999 }] },
  'POST /api/stock/returns': { locationId: loc, lines: [{ sku: 'SKU-1', quantity: 1 }] },
  'POST /api/transfers': { fromLocationId: loc, toLocationId: 'store-b', lines: [{ sku: 'SKU-1', quantity: 1 }] },
  'POST /api/transfers/:id/dispatch': null,
  'POST /api/transfers/:id/receive': { lines: [{ sku: 'SKU-1', quantity: 1 }], final: false },
  'POST /api/transfers/:id/cancel': { reason: 'not needed' },
  'POST /pos/:connectionId/webhook': { eventId: 'e-1', type: 'sale', locationId: 'pos-a', occurredAt: '2025-03-01T10:00:00Z', lines: [{ sku: 'SKU-1', quantity: 1 }] },
  'POST /api/pos/:connectionId/import': null,
  'POST /api/pos/connections/:connectionId/import': null,
  'POST /api/pos/connections': { id: 'till-z', kind: 'generic', secret: 'another-secret-1', locationMap: { 'pos-z': loc }, skuMap: { 'item-1': 'SKU-1' } },
  // Not the maps: there a null value is merge-patch for "remove this key", a valid body.
  'PATCH /api/pos/connections/:connectionId': { secret: 'rotated-secret-01', disabled: false },
  'POST /api/pos/quarantine/:id/retry': null,
  'POST /api/pos/quarantine/retry-all': null,
  'POST /api/webhooks/subscriptions': { url: 'https://example.com/hook', kinds: ['stock.changed'], secret: 'hook-secret-0001' },
  'DELETE /api/webhooks/subscriptions/:id': null,
  'POST /api/webhooks/deliveries/:id/retry': null,
  'PUT /api/pos/connections/:connectionId/push': { enabled: true },
  'POST /api/pos/push-jobs/:id/retry': null,
  'POST /api/suppliers': { id: 'sup-z', name: 'Supplier Z', leadTimeDays: 5, email: 'po@z.test', currency: 'USD' },
  'POST /api/suppliers/:id/prices': { sku: 'SKU-1', unitCost: 100, minOrderQuantity: 6, packSize: 6, preferred: true },
  'POST /api/suppliers/:id/deactivate': { reason: 'gone' },
  'PUT /api/reorder-rules': { locationId: loc, sku: 'SKU-1', min: 5, max: 20, targetDaysOfCover: 14 },
  'POST /api/purchase-orders': { supplierId: 'sup-z', locationId: loc, lines: [{ sku: 'SKU-1', quantity: 12, unitCost: 100 }] },
  'POST /api/purchase-orders/:id/send': null,
  'POST /api/purchase-orders/:id/cancel': { reason: 'not needed' },
  'POST /api/purchase-orders/:id/close': { reason: 'supplier out of stock' },
  'POST /api/purchase-orders/:id/receive': { lines: [{ sku: 'SKU-1', quantity: 1, closeShort: false }], receiptId: 'dock-1', allowOver: false, closeShort: false },
  'POST /api/reorder-suggestions/purchase-orders': { suggestionIds: ['sg-1'] },
  'POST /api/reorder-suggestions/transfers': { suggestionIds: ['sg-1'] },
  'POST /api/reorder-suggestions/apply': { suggestionIds: ['sg-1'] },
  'POST /api/polls': { question: 'How likely would you recommend us?', kind: 'nps', locations: [loc], anonymous: false },
  'POST /api/polls/:id/answers': { value: 9, comment: 'fine' },
  'POST /api/feedback': { category: 'idea', text: 'Bigger buttons', screen: 'count', appVersion: '0.1.0' },
  'POST /api/feedback/:id/status': { status: 'planned', note: 'next' },
  'POST /api/pos/connections/:connectionId/imports': { scope: ['locations', 'catalog'], createLocations: true },
  'POST /api/pos/imports/:id/resume': null,
  'PUT /api/pos/connections/:connectionId/catalog-policy': { names: 'pos', prices: 'stocktide' },
  'POST /api/catalog/alerts/resolve': { connectionId: 'till-a', conflictId: 'sku-clash:1:SKU-1', resolution: 'rename', sku: 'SKU-9' },
  'PUT /api/products/:sku/barcodes': { barcodes: ['036000291452'] },
  'PATCH /api/products/:sku': { name: 'Renamed', price: 1999 },
  'POST /api/products/:sku/discontinue': { reason: 'no longer sold' },
  'POST /api/stock/opening-balances': { asOf: '2026-01-01T00:00:00.000Z', lines: [{ locationId: loc, sku: 'SKU-1', quantity: 3, unitCost: 100 }] },
  'POST /api/locations/:id/mode': { mode: 'shadow', reason: 'pilot' },
  'PUT /api/pos/connections/:connectionId/product-push': { enabled: true, includeExisting: false },
  'POST /api/pos/product-pushes/:id/retry': null,
  'POST /api/count-sessions': { locationId: loc, scope: { skus: ['SKU-1'], zone: 'aisle 1' }, blind: true },
  'POST /api/count-sessions/:id/scans': { deviceId: 'phone-1', lines: [{ scanId: 'scan-1', sku: 'SKU-1', quantity: 1, countedAt: '2026-01-01T00:00:00.000Z' }] },
  'POST /api/count-sessions/:id/recount': { skus: ['SKU-1'] },
  'POST /api/count-sessions/:id/post': null,
  'POST /api/count-sessions/:id/cancel': { reason: 'wrong store' },
  'POST /api/pos/connections/:connectionId/test': null,
  'PUT /api/products/:sku/category': { category: 'Kitchen' },
};

const concreteUrl = (url: string): string => url
  .replace(':username', 'admin')
  .replace(':connectionId', 'till-a')
  .replace('/api/transfers/:id', `/api/transfers/${transferId}`)
  .replace(':id', 'unknown-id');

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('hostile input against every write endpoint', () => {
  it('given every write route of the app, then each has a known valid body (no route is left out)', () => {
    const writes = listRoutes(f.app).filter((r) => WRITE_METHODS.has(r.method)).map((r) => `${r.method} ${r.url}`);
    expect(writes.sort()).toEqual(Object.keys(validBodies).sort());
  });

  it('given hostile payloads and one-leaf-broken valid bodies, then every answer is a 4xx problem+json and the log is unchanged', async () => {
    const routes: WriteRoute[] = listRoutes(f.app)
      .filter((r) => WRITE_METHODS.has(r.method))
      .map((r) => {
        const validBody = validBodies[`${r.method} ${r.url}`];
        // The CSV import answers a JSON body with 415 before its size matters; its 413 is checked below.
        const exclude = r.url.endsWith('/:connectionId/import') ? ['body over the limit'] : [];
        return { method: r.method as WriteRoute['method'], url: concreteUrl(r.url), exclude, ...(validBody && { validBody }) };
      });
    const before = await f.head();
    await assertHostileInputRejected(f.app, routes, adminToken, { eventLogFingerprint: async () => (await f.head()).toString() });
    expect(await f.head()).toBe(before);
    // Still up, and the session the set-up logged in with still works.
    expect((await f.get('/health', {})).statusCode).toBe(200);
    expect((await f.get('/api/auth/me', f.admin)).statusCode).toBe(200);
  }, 120_000); // every write route × every hostile payload: ~12 s alone, past 30 s on a loaded machine
});

describe('the CSV import', () => {
  it('given a text/csv body over its limit, then 413 problem+json and nothing stored', async () => {
    const before = await f.head();
    // Legacy till files are big: the import has its own, larger limit.
    const row = 'e-1,sale,pos-a,2025-03-01T10:00:00Z,SKU-1,1\n';
    const csv = `eventId,type,locationId,occurredAt,sku,quantity\n${row.repeat(Math.ceil((CSV_BODY_LIMIT + 1024) / row.length))}`;
    const res = await f.app.inject({ method: 'POST', url: '/api/pos/till-a/import', headers: { ...adminToken, 'content-type': 'text/csv' }, payload: csv });
    expect(isProblem(res, 413), `${res.statusCode} ${res.body.slice(0, 200)}`).toBe(true);
    expect(await f.head()).toBe(before);
  });
});

describe('query strings never become read-store operators', () => {
  const hostile = [
    'locationId={"$ne":null}', 'locationId[$ne]=x', 'sku[$gt]=', 'sku={"$regex":".*"}', 'locationId=store-a&locationId[$ne]=x',
    'locationId=$where', 'sku=%7B%22%24ne%22%3Anull%7D',
  ];
  const reads = ['/api/stock', '/api/movements', '/api/alerts', '/api/stock/totals', '/api/transfers', '/api/locations', '/api/products', '/api/pos/quarantine',
    '/api/purchase-orders', '/api/reorder-rules', '/api/on-order', '/api/reorder-suggestions', '/api/suppliers'];

  it('given operator-looking query values on every read, then each is refused with 400 or read as a literal that matches nothing', async () => {
    for (const url of reads) {
      for (const query of hostile) {
        const res = await f.get(`${url}?${query}&minPosition=${lastPosition}`, adminToken);
        const where = `${url}?${query}: ${res.statusCode} ${res.body.slice(0, 300)}`;
        if (res.statusCode === 200) {
          const items = (res.json() as { items: unknown[] }).items;
          expect(items, where).toEqual([]);
        } else {
          expect(isProblem(res, 400), where).toBe(true);
        }
      }
    }
  });
});
