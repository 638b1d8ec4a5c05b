import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE, CSRF_COOKIE } from './authenticate';
import { TEST_ADMIN_PASSWORD, addUser, createSecuredApp, login, type SecuredApp } from './testing/secured-app';

const HOUR = 60 * 60 * 1000;

describe('auth routes', () => {
  let s: SecuredApp;
  beforeEach(async () => {
    s = await createSecuredApp();
  });
  afterEach(async () => {
    await s.close();
  });

  it('given the bootstrap admin, when logging in, then a session token, CSRF token and cookies are issued', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^sts_[A-Za-z0-9_-]{43}$/);
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user).toEqual({ username: 'admin', role: 'admin', locations: [], permissions: [], seesCosts: true });
    expect(body.expiresAt).toBe('2025-03-01T21:00:00.000Z');

    const session = res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(session).toMatchObject({ value: body.token, httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 12 * 3600 });
    expect(session?.secure).toBeFalsy();
    const csrf = res.cookies.find((c) => c.name === CSRF_COOKIE);
    expect(csrf).toMatchObject({ value: body.csrfToken, sameSite: 'Strict', path: '/' });
    expect(csrf?.httpOnly).toBeFalsy();
  });

  it('given cookieSecure, when logging in, then both cookies are Secure', async () => {
    const secure = await createSecuredApp({ config: { cookieSecure: true } });
    try {
      const res = await secure.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
      expect(res.cookies.filter((c) => c.secure).map((c) => c.name).sort()).toEqual([CSRF_COOKIE, SESSION_COOKIE].sort());
    } finally {
      await secure.close();
    }
  });

  it('answers the same 401 for an unknown user, a wrong password and a disabled user', async () => {
    const password = await addUser(s.identity, 'dana', 'analyst');
    await s.identity.updateUser('dana', { disabled: true });
    const attempt = (username: string, pw: string) =>
      s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: pw } });
    const answers = [await attempt('nobody', 'whatever-password'), await attempt('admin', 'wrong-password-123'), await attempt('dana', password)];
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.cookies).toEqual([]);
    }
    expect(new Set(answers.map((r) => r.body)).size).toBe(1);
  });

  it('rejects a malformed login body with 400 and no session', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: { $ne: null }, password: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.length).toBeGreaterThan(0);
  });

  it('GET /api/auth/me tells who is calling and how, by bearer token and by cookie', async () => {
    const { token, bearer } = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
    const byBearer = await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer });
    expect(byBearer.json()).toEqual({
      user: { username: 'admin', role: 'admin', locations: [], permissions: [], seesCosts: true }, via: 'bearer', expiresAt: '2025-03-01T21:00:00.000Z',
    });
    const byCookie = await s.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { [SESSION_COOKIE]: token } });
    expect(byCookie.json().via).toBe('session');
  });

  it('without credentials, with a bad token or a malformed header: 401 problem+json with WWW-Authenticate', async () => {
    for (const headers of [{}, { authorization: 'Bearer sts_not-a-real-token-at-all' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }]) {
      const res = await s.app.inject({ method: 'GET', url: '/api/auth/me', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="stocktide"');
      expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });

  it('a present but bad Authorization header is not rescued by a good session cookie', async () => {
    const { token } = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
    const res = await s.app.inject({
      method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer stk_forged-token-value' }, cookies: { [SESSION_COOKIE]: token },
    });
    expect(res.statusCode).toBe(401);
  });

  it('given a session, when logging out, then its token stops working and the cookies are cleared', async () => {
    const { bearer } = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
    const out = await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).statusCode).toBe(401);
  });

  it('given a session, when its 12 hours pass, then it stops working', async () => {
    const { bearer } = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
    s.clock.advance(12 * HOUR - 1);
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).statusCode).toBe(200);
    s.clock.advance(1);
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).statusCode).toBe(401);
  });

  it('honours a configured session lifetime', async () => {
    const short = await createSecuredApp({ config: { sessionTtlHours: 1 } });
    try {
      const { bearer } = await login(short.app, 'admin', TEST_ADMIN_PASSWORD);
      short.clock.advance(HOUR);
      expect((await short.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).statusCode).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('given a logged-in user, when an admin disables them, then their session stops working at once', async () => {
    const password = await addUser(s.identity, 'sam', 'staff', ['store-a']);
    const sam = await login(s.app, 'sam', password);
    const admin = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
    const patch = await s.app.inject({ method: 'PATCH', url: '/api/users/sam', headers: admin.bearer, payload: { disabled: true } });
    expect(patch.statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: sam.bearer })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'sam', password } })).statusCode).toBe(401);
  });

  it('given a disabled flag set behind the API (no session revocation), the session still stops working', async () => {
    const password = await addUser(s.identity, 'sam', 'staff', ['store-a']);
    const sam = await login(s.app, 'sam', password);
    await s.identity.updateUser('sam', { disabled: true });
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: sam.bearer })).statusCode).toBe(401);
  });

  it('limits login attempts per IP and username: the 11th within a minute is 429, other usernames still pass', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'guess-number-' + i } });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(blocked.headers['retry-after']).toBeDefined();
    const other = await addUser(s.identity, 'olga', 'auditor');
    expect((await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'olga', password: other } })).statusCode).toBe(200);
  });
});
