import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { MANAGERS, OPERATORS, assertLocationAccess, principalOf } from '../server/http/access';
import { createFastify } from '../server/http/fastify-base';
import { SqliteIdentityStore } from './identity/sqlite-identity-store';
import { installSecurity, listRoutes } from './install-security';
import { CSRF_HEADER, SESSION_COOKIE } from './authenticate';
import { TEST_ADMIN_PASSWORD, addUser, createSecuredApp, login, type SecuredApp } from './testing/secured-app';

/** Sample capability routes: a stock write at a location, and a location read. */
async function sampleRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: { locationId: string } }>(
    '/api/sample/receipts',
    {
      config: { access: { roles: OPERATORS } },
      schema: { body: { type: 'object', additionalProperties: false, required: ['locationId'], properties: { locationId: { type: 'string' } } } },
    },
    async (request, reply) => {
      assertLocationAccess(request, request.body.locationId);
      return reply.code(201).send({ by: principalOf(request).username });
    },
  );
  app.get<{ Params: { locationId: string } }>(
    '/api/sample/locations/:locationId',
    { config: { access: { roles: MANAGERS } } },
    async (request) => {
      assertLocationAccess(request, request.params.locationId);
      return { locationId: request.params.locationId };
    },
  );
  app.get('/health', { config: { access: { public: true } } }, async () => ({ status: 'ok' }));
}

describe('installSecurity', () => {
  let s: SecuredApp;
  beforeEach(async () => {
    s = await createSecuredApp({ routes: sampleRoutes });
  });
  afterEach(async () => {
    await s.close();
  });

  describe('route guard', () => {
    it('fails the build when a route declares no access rule', async () => {
      const app = createFastify({ logger: false });
      const identity = new SqliteIdentityStore(':memory:');
      await installSecurity(app, { identity, config: { adminPassword: TEST_ADMIN_PASSWORD }, log: () => {} });
      expect(() => app.get('/api/oops', async () => ({}))).toThrow(/declares no access rule/);
      expect(() => app.get('/api/empty', { config: { access: { roles: [] } } }, async () => ({}))).toThrow(/roles is empty/);
      await app.close();
      await identity.close();
    });

    it('lets listed prefixes hold public GET routes of plugins, but never under /api or for writes', async () => {
      const app = createFastify({ logger: false });
      const identity = new SqliteIdentityStore(':memory:');
      await installSecurity(app, { identity, config: { adminPassword: TEST_ADMIN_PASSWORD, publicPrefixes: ['/docs', '/'] }, log: () => {} });
      app.get('/docs/json', async () => ({ openapi: '3.0.0' }));
      expect(() => app.post('/docs/upload', async () => ({}))).toThrow(/declares no access rule/);
      expect(() => app.get('/api/secret', async () => ({}))).toThrow(/declares no access rule/);
      await app.ready();
      expect((await app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
      expect(listRoutes(app).find((r) => r.url === '/docs/json')?.access).toEqual({ public: true });
      await app.close();
      await identity.close();
    });

    it('lists every route once with its rule (HEAD twins omitted)', () => {
      const routes = listRoutes(s.app).map((r) => `${r.method} ${r.url}`);
      expect(routes).toEqual(expect.arrayContaining([
        'POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/auth/me', 'POST /api/users', 'GET /api/users',
        'PATCH /api/users/:username', 'POST /api/tokens', 'GET /api/tokens', 'DELETE /api/tokens/:id',
        'POST /api/sample/receipts', 'GET /api/sample/locations/:locationId', 'GET /health',
      ]));
      expect(routes.filter((r) => r.startsWith('HEAD '))).toEqual([]);
      expect(new Set(routes).size).toBe(routes.length);
    });
  });

  describe('roles and scopes', () => {
    it('403 for a role not in the route rule, 401 without credentials, public routes open', async () => {
      const password = await addUser(s.identity, 'ana', 'analyst');
      const ana = await login(s.app, 'ana', password);
      const res = await s.app.inject({ method: 'POST', url: '/api/sample/receipts', headers: ana.bearer, payload: { locationId: 'store-a' } });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ status: 403, code: 'role-not-allowed' });
      expect((await s.app.inject({ method: 'POST', url: '/api/sample/receipts', payload: { locationId: 'store-a' } })).statusCode).toBe(401);
      expect((await s.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it('a manager of store A asking for store B gets 403; for store A, the answer', async () => {
      const password = await addUser(s.identity, 'mia', 'manager', ['store-a']);
      const mia = await login(s.app, 'mia', password);
      const b = await s.app.inject({ method: 'GET', url: '/api/sample/locations/store-b', headers: mia.bearer });
      expect(b.statusCode).toBe(403);
      expect(b.headers['content-type']).toContain('application/problem+json');
      const a = await s.app.inject({ method: 'GET', url: '/api/sample/locations/store-a', headers: mia.bearer });
      expect(a.statusCode).toBe(200);
      const write = await s.app.inject({ method: 'POST', url: '/api/sample/receipts', headers: mia.bearer, payload: { locationId: 'store-b' } });
      expect(write.statusCode).toBe(403);
    });

    it('an unknown route answers 404 problem+json, not 401', async () => {
      const res = await s.app.inject({ method: 'GET', url: '/api/no-such-thing' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });
  });

  describe('CSRF for cookie sessions', () => {
    it('rejects a cookie-authenticated write without or with a wrong x-csrf-token, accepts the right one', async () => {
      const { token, csrfToken } = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
      const post = (headers: Record<string, string>) =>
        s.app.inject({ method: 'POST', url: '/api/sample/receipts', cookies: { [SESSION_COOKIE]: token }, headers, payload: { locationId: 'store-a' } });
      const missing = await post({});
      expect(missing.statusCode).toBe(403);
      expect(missing.json().code).toBe('csrf');
      expect((await post({ [CSRF_HEADER]: 'x'.repeat(43) })).statusCode).toBe(403);
      expect((await post({ [CSRF_HEADER]: csrfToken })).statusCode).toBe(201);
    });

    it('does not ask reads or bearer requests for the token', async () => {
      const { token, bearer } = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
      expect((await s.app.inject({ method: 'GET', url: '/api/sample/locations/x', cookies: { [SESSION_COOKIE]: token } })).statusCode).toBe(200);
      expect((await s.app.inject({ method: 'POST', url: '/api/sample/receipts', headers: bearer, payload: { locationId: 'x' } })).statusCode).toBe(201);
    });

    it("one session's CSRF token does not unlock another session", async () => {
      const first = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
      const second = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
      const res = await s.app.inject({
        method: 'POST', url: '/api/sample/receipts', cookies: { [SESSION_COOKIE]: first.token },
        headers: { [CSRF_HEADER]: second.csrfToken }, payload: { locationId: 'x' },
      });
      expect(res.statusCode).toBe(403);
    });
  });

  describe('headers', () => {
    it('sends a CSP that keeps scripts, styles, fetch and SSE on the same origin', async () => {
      const res = await s.app.inject({ method: 'GET', url: '/health' });
      const csp = String(res.headers['content-security-policy']);
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('keeps CORS closed by default', async () => {
      const preflight = await s.app.inject({
        method: 'OPTIONS', url: '/api/sample/receipts', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const get = await s.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('opens CORS only to configured origins', async () => {
      const open = await createSecuredApp({ config: { corsOrigins: ['https://shop.example'] }, routes: sampleRoutes });
      try {
        const ok = await open.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://shop.example' } });
        expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example');
        const other = await open.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
        expect(other.headers['access-control-allow-origin']).toBeUndefined();
      } finally {
        await open.close();
      }
    });
  });

  it('never puts the admin password, password hashes, tokens or CSRF tokens in the request log or in answers', async () => {
    const admin = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
    const newPassword = 'a-brand-new-password-42';
    const created = await s.app.inject({
      method: 'POST', url: '/api/users', headers: admin.bearer, payload: { username: 'mo', password: newPassword, role: 'manager', locations: ['store-a'] },
    });
    expect(created.statusCode).toBe(201);
    const apiToken = await s.app.inject({ method: 'POST', url: '/api/tokens', headers: admin.bearer, payload: { name: 'bi', role: 'analyst' } });
    const secretToken = apiToken.json().token as string;
    const mo = await login(s.app, 'mo', newPassword);
    await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'mo', password: 'wrong-' + newPassword } });
    await s.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: `{"username":"mo","password":"${newPassword}` });
    const answers = [
      await s.app.inject({ method: 'GET', url: '/api/users', headers: admin.bearer }),
      await s.app.inject({ method: 'GET', url: '/api/tokens', headers: admin.bearer }),
      await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${secretToken}` } }),
      await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: mo.bearer }),
      await s.app.inject({ method: 'PATCH', url: '/api/users/mo', headers: admin.bearer, payload: { password: newPassword + '!' } }),
    ];
    const hashes = (await s.identity.listUsers()).map((u) => u.passwordHash);
    const secrets = [TEST_ADMIN_PASSWORD, newPassword, admin.token, admin.csrfToken, mo.token, mo.csrfToken, secretToken, ...hashes];
    const log = s.requestLog.join('');
    expect(log.length).toBeGreaterThan(0);
    const bodies = answers.map((a) => a.body).join('\n');
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      expect(bodies).not.toContain(secret);
    }
    expect(bodies).not.toContain('$argon2');
    expect(log).not.toContain('$argon2');
  });
});
