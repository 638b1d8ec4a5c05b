import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { OPERATORS, assertLocationAccess, principalOf } from '../server/http/access';
import { TEST_ADMIN_PASSWORD, createSecuredApp, login, type LoggedIn, type SecuredApp } from './testing/secured-app';

const DAY = 24 * 60 * 60 * 1000;

async function stockRoute(app: FastifyInstance): Promise<void> {
  app.post<{ Params: { locationId: string } }>(
    '/api/sample/:locationId/receipts',
    { config: { access: { roles: OPERATORS } } },
    async (request, reply) => {
      assertLocationAccess(request, request.params.locationId);
      return reply.code(201).send({ actor: principalOf(request).username });
    },
  );
}

describe('API token routes', () => {
  let s: SecuredApp;
  let admin: LoggedIn;
  beforeEach(async () => {
    s = await createSecuredApp({ routes: stockRoute });
    admin = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
  });
  afterEach(async () => {
    await s.close();
  });

  const createToken = async (payload: object) => s.app.inject({ method: 'POST', url: '/api/tokens', headers: admin.bearer, payload });

  it('given an admin, when a token is created, then its secret is shown once and it acts as its role and locations', async () => {
    const res = await createToken({ name: 'till bridge', role: 'staff', locations: ['store-a'] });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ name: 'till bridge', role: 'staff', locations: ['store-a'], createdAt: '2025-03-01T09:00:00.000Z' });
    expect(created.id).toMatch(/^tok_[0-9a-f]{16}$/);
    expect(created.token).toMatch(/^stk_/);
    const auth = { authorization: `Bearer ${created.token}` };

    const own = await s.app.inject({ method: 'POST', url: '/api/sample/store-a/receipts', headers: auth });
    expect(own.statusCode).toBe(201);
    expect(own.json().actor).toBe(`token:${created.id}`);
    expect((await s.app.inject({ method: 'POST', url: '/api/sample/store-b/receipts', headers: auth })).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'GET', url: '/api/users', headers: auth })).statusCode).toBe(403);

    const list = await s.app.inject({ method: 'GET', url: '/api/tokens', headers: admin.bearer });
    expect(list.json().items).toEqual([
      { id: created.id, name: 'till bridge', role: 'staff', locations: ['store-a'], createdAt: '2025-03-01T09:00:00.000Z', lastUsedAt: '2025-03-01T09:00:00.000Z' },
    ]);
    expect(list.body).not.toContain(created.token);
    expect(list.body).not.toMatch(/hash/i);
  });

  it('given a token, when revoked, then it stops working; revoking again is harmless; an unknown id is 404', async () => {
    const { id, token } = (await createToken({ name: 'bi', role: 'analyst' })).json();
    const auth = { authorization: `Bearer ${token}` };
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: admin.bearer })).statusCode).toBe(204);
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: admin.bearer })).statusCode).toBe(204);
    expect((await s.app.inject({ method: 'DELETE', url: '/api/tokens/tok_0000000000000000', headers: admin.bearer })).statusCode).toBe(404);
    const listed = (await s.app.inject({ method: 'GET', url: '/api/tokens', headers: admin.bearer })).json().items[0];
    expect(listed.revokedAt).toBe('2025-03-01T09:00:00.000Z');
  });

  it('given expiresInDays, when that time passes, then the token stops working', async () => {
    const { token, expiresAt } = (await createToken({ name: 'temp', role: 'auditor', expiresInDays: 2 })).json();
    expect(expiresAt).toBe('2025-03-03T09:00:00.000Z');
    const auth = { authorization: `Bearer ${token}` };
    s.clock.advance(2 * DAY - 1);
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).statusCode).toBe(200);
    s.clock.advance(1);
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).statusCode).toBe(401);
  });

  it('rejects scoped tokens without locations, and non-admin callers', async () => {
    expect((await createToken({ name: 'x', role: 'manager' })).statusCode).toBe(400);
    const { token } = (await createToken({ name: 'mgr', role: 'manager', locations: ['store-a'] })).json();
    const res = await s.app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization: `Bearer ${token}` }, payload: { name: 'y', role: 'admin' } });
    expect(res.statusCode).toBe(403);
    expect((await s.identity.listApiTokens()).length).toBe(1);
  });

  it('a token minted for a user acts as that user and follows their account', async () => {
    const { hashToken, newToken, API_TOKEN_PREFIX } = await import('./secrets');
    const token = newToken(API_TOKEN_PREFIX);
    await s.identity.createApiToken({ id: 'tok_00000000000000aa', name: 'admin cli', tokenHash: hashToken(token), username: 'admin', createdAt: '2025-03-01T09:00:00.000Z' });
    const auth = { authorization: `Bearer ${token}` };
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).json()).toMatchObject({ user: { username: 'admin' }, via: 'api-token' });
    await s.identity.updateUser('admin', { disabled: true });
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).statusCode).toBe(401);
  });
});
