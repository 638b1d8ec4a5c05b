/**
 * Access control of the composed app: the role × route matrix over every route it serves,
 * the build-time guard against routes without a rule, and object-level location scoping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFastify } from './http/fastify-base';
import { SqliteIdentityStore } from '../security/identity/sqlite-identity-store';
import { installSecurity } from '../security/install-security';
import { listRoutes, mintMatrixCredentials, walkRouteMatrix } from '../security/route-matrix';
import { isProblem, startFullApp, type FullApp, type Headers } from './testing/full-app';

let f: FullApp;
let managerA: Headers;
let staffA: Headers;
let lastPosition = '0';

beforeAll(async () => {
  f = await startFullApp();
  managerA = await f.tokenFor('manager', ['store-a']);
  staffA = await f.tokenFor('staff', ['store-a']);
  const ok = async (url: string, body: unknown) => {
    const res = await f.post(url, f.admin, body);
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    lastPosition = (res.json() as { position: string }).position;
  };
  await ok('/api/locations', { id: 'store-a', name: 'Store A', type: 'store' });
  await ok('/api/locations', { id: 'store-b', name: 'Store B', type: 'store' });
  await ok('/api/products', { sku: 'SKU-1', name: 'Mug' });
  await ok('/api/stock/receipts', { locationId: 'store-a', lines: [{ sku: 'SKU-1', quantity: 4 }] });
  await ok('/api/stock/receipts', { locationId: 'store-b', lines: [{ sku: 'SKU-1', quantity: 7 }] });
  // A negative balance at B raises an alert there: something B-only for the alert list.
  await ok('/api/stock/sales', { locationId: 'store-b', lines: [{ sku: 'SKU-1', quantity: 9 }] });
});
afterAll(async () => {
  await f?.close();
});

describe('the role × route matrix of the full app', () => {
  it('given a token per role, then every protected route answers 401 anonymous, 403 outside its rule and neither inside it', async () => {
    const routes = listRoutes(f.app);
    const rows = await walkRouteMatrix(f.app, await mintMatrixCredentials(f.built.services.identity));
    const walked = new Set(rows.map((r) => `${r.method} ${r.url}`));
    const protectedRoutes = routes.filter((r) => !('public' in r.access) && r.method !== 'OPTIONS');
    expect(protectedRoutes.length).toBeGreaterThan(40);
    for (const r of protectedRoutes) expect(walked.has(`${r.method} ${r.url}`), `${r.method} ${r.url}`).toBe(true);
    for (const must of ['POST /api/stock/receipts', 'GET /api/events', 'POST /api/users', 'GET /api/stream', 'PUT /api/pos/connections/:connectionId/push']) {
      expect(walked.has(must), must).toBe(true);
    }
    // The only public routes are login, health, config, the webhook and the static/doc GETs.
    const publicWrites = routes.filter((r) => 'public' in r.access && r.method !== 'GET' && r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);
    expect(publicWrites.sort()).toEqual(['POST /api/auth/login', 'POST /pos/:connectionId/webhook']);
  });

  it('given a route registered without an access rule, then building the app fails', async () => {
    const identity = new SqliteIdentityStore(':memory:');
    const app = createFastify({ logger: false });
    try {
      // The same public prefixes as server/app.ts: even '/' must not cover an API route or a write.
      await installSecurity(app, { identity, config: { adminPassword: 'x-password-123456', publicPrefixes: ['/docs', '/'] }, log: () => {} });
      expect(() => app.get('/api/forgotten', async () => ({}))).toThrow(/declares no access rule/);
      expect(() => app.post('/forgotten-write', async () => ({}))).toThrow(/declares no access rule/);
      expect(() => app.post('/pos/x/forgotten', async () => ({}))).toThrow(/declares no access rule/);
    } finally {
      await app.close();
      await identity.close();
    }
  });
});

describe('object-level scoping', () => {
  // The stream is long-lived: the matrix probes it as it is, without waiting on minPosition.
  const at = (url: string) => (url.startsWith('/api/stream') ? url : `${url}${url.includes('?') ? '&' : '?'}minPosition=${lastPosition}`);

  it('given a manager of store A, then asking for store B\'s stock, movements, alerts, totals or stream is 403', async () => {
    for (const url of [
      '/api/stock?locationId=store-b', '/api/movements?locationId=store-b', '/api/alerts?locationId=store-b',
      '/api/stock/totals?locationId=store-b', '/api/analytics/aging?locationId=store-b', '/api/stream?locationId=store-b',
    ]) {
      for (const who of [managerA, staffA]) {
        const res = await f.get(at(url), who);
        expect(isProblem(res, 403), `${url}: ${res.statusCode} ${res.body}`).toBe(true);
      }
    }
  });

  it('given a manager of store A, then chain-wide lists carry only store A\'s rows', async () => {
    const locationsIn = async (url: string, who: Headers) => {
      const res = await f.get(at(url), who);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      return new Set((res.json() as { items: Array<{ locationId: string }> }).items.map((i) => i.locationId));
    };
    expect(await locationsIn('/api/stock', managerA)).toEqual(new Set(['store-a']));
    expect(await locationsIn('/api/movements', managerA)).toEqual(new Set(['store-a']));
    expect(await locationsIn('/api/alerts', managerA)).toEqual(new Set());
    // The admin sees both, so the narrowing above is the scope, not missing data.
    expect(await locationsIn('/api/stock', f.admin)).toEqual(new Set(['store-a', 'store-b']));
    expect(await locationsIn('/api/alerts', f.admin)).toEqual(new Set(['store-b']));
  });

  it('given a manager of store A, then writing at store B is 403 and stores nothing', async () => {
    const before = await f.head();
    for (const [url, body] of [
      ['/api/stock/receipts', { locationId: 'store-b', lines: [{ sku: 'SKU-1', quantity: 1 }] }],
      ['/api/stock/adjustments', { locationId: 'store-b', sku: 'SKU-1', quantity: 1, reason: 'found' }],
      ['/api/transfers', { fromLocationId: 'store-b', toLocationId: 'store-a', lines: [{ sku: 'SKU-1', quantity: 1 }] }],
    ] as const) {
      expect(isProblem(await f.post(url, managerA, body), 403), url).toBe(true);
    }
    expect(await f.head()).toBe(before);
  });
});
