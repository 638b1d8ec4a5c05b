import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  ADMINS, AUDITORS, Forbidden, MANAGERS, OPERATORS, READERS, assertLocationAccess, visibleLocations,
} from '../server/http/access';
import { MATRIX_PROBE_ID, RouteMatrixFailure, mintMatrixCredentials, walkRouteMatrix } from './route-matrix';
import { createSecuredApp, type SecuredApp } from './testing/secured-app';

const idBody = { type: 'object', additionalProperties: false, required: ['locationId'], properties: { locationId: { type: 'string' } } } as const;

/** A miniature of the real app: one route per role group, a location-scoped route and an SSE stream. */
function sampleRoutes(opened: { streams: number; closed: number }) {
  return async (app: FastifyInstance) => {
    app.get('/api/stock', { config: { access: { roles: READERS } } }, async (request) => ({ scope: visibleLocations(request) }));
    app.post('/api/stock/receipts', { config: { access: { roles: OPERATORS } }, schema: { body: idBody } }, async () => ({}));
    app.post<{ Params: { id: string } }>('/api/transfers/:id/dispatch', { config: { access: { roles: MANAGERS } } }, async (request, reply) => {
      assertLocationAccess(request, request.params.id);
      return reply.code(201).send({});
    });
    app.get('/api/events', { config: { access: { roles: AUDITORS } } }, async () => ({ events: [] }));
    app.post('/api/pos/connections', { config: { access: { roles: ADMINS } }, schema: { body: idBody } }, async () => ({}));
    app.get('/health', { config: { access: { public: true } } }, async () => ({ status: 'ok' }));
    app.get('/api/stream', { config: { access: { roles: READERS } } }, (request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.raw.write(': connected\n\n');
      opened.streams++;
      reply.raw.on('close', () => opened.closed++);
    });
  };
}

describe('walkRouteMatrix', () => {
  let s: SecuredApp | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('given every route honours its rule, then the walk passes and covers anonymous + every role on every protected route', async () => {
    const opened = { streams: 0, closed: 0 };
    s = await createSecuredApp({ routes: sampleRoutes(opened) });
    const credentials = await mintMatrixCredentials(s.identity);
    const rows = await walkRouteMatrix(s.app, credentials);

    const protectedRoutes = new Set(rows.map((r) => `${r.method} ${r.url}`));
    expect(protectedRoutes.has('GET /health')).toBe(false);
    expect(protectedRoutes.has('POST /api/auth/login')).toBe(false);
    for (const route of ['GET /api/stock', 'POST /api/stock/receipts', 'POST /api/transfers/:id/dispatch', 'GET /api/events', 'GET /api/users', 'GET /api/stream']) {
      expect(protectedRoutes.has(route), route).toBe(true);
    }
    expect(rows.length).toBe(protectedRoutes.size * 6);
    const cell = (url: string, caller: string) => rows.find((r) => r.url === url && r.caller === caller)?.status;
    expect(cell('/api/events', 'auditor')).toBe(200);
    expect(cell('/api/events', 'staff')).toBe(403);
    expect(cell('/api/stock/receipts', 'staff')).toBe(400); // allowed; the empty probe body is invalid
    expect(cell('/api/transfers/:id/dispatch', 'manager')).toBe(201);
    expect(cell('/api/users', 'anonymous')).toBe(401);
    expect(rows.at(-1)?.url).toBe('/api/auth/logout');
    // The SSE stream answered for the five readers and was closed after each probe.
    expect(opened).toEqual({ streams: 5, closed: 5 });
  });

  it('given a handler that refuses a role its rule allows, then the walk fails naming the route and role', async () => {
    s = await createSecuredApp({
      routes: (app) => {
        app.get('/api/reports', { config: { access: { roles: READERS } } }, async (request) => {
          if (request.principal?.role === 'analyst') throw new Forbidden('analysts were forgotten');
          return {};
        });
      },
    });
    const failure = await walkRouteMatrix(s.app, await mintMatrixCredentials(s.identity)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RouteMatrixFailure);
    expect((failure as RouteMatrixFailure).failures).toEqual([
      { method: 'GET', url: '/api/reports', caller: 'analyst', expected: 'allowed', status: 403, ok: false },
    ]);
  });

  it('given a manager token scoped elsewhere, then a location-checked route shows up as a failure', async () => {
    s = await createSecuredApp({ routes: sampleRoutes({ streams: 0, closed: 0 }) });
    const credentials = await mintMatrixCredentials(s.identity);
    const { API_TOKEN_PREFIX, hashToken, newToken } = await import('./secrets');
    const token = newToken(API_TOKEN_PREFIX);
    await s.identity.createApiToken({ id: 'tok_00000000000000ff', name: 'elsewhere', tokenHash: hashToken(token), role: 'manager', locations: ['store-z'], createdAt: '2025-01-01T00:00:00.000Z' });
    const failure = await walkRouteMatrix(s.app, { ...credentials, manager: { authorization: `Bearer ${token}` } }).catch((e: unknown) => e);
    expect((failure as RouteMatrixFailure).failures.map((f) => `${f.url} ${f.caller}`)).toEqual(['/api/transfers/:id/dispatch manager']);
    expect(MATRIX_PROBE_ID).toBe('matrix-probe');
  });

  it('refuses to walk without credentials for every role', async () => {
    s = await createSecuredApp();
    const credentials = await mintMatrixCredentials(s.identity);
    const { auditor: _dropped, ...partial } = credentials;
    await expect(walkRouteMatrix(s.app, partial as typeof credentials)).rejects.toThrow(/no credentials for role auditor/);
  });
});
