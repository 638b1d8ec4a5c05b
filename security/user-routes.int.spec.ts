import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, addUser, createSecuredApp, login, type LoggedIn, type SecuredApp } from './testing/secured-app';

describe('user routes', () => {
  let s: SecuredApp;
  let admin: LoggedIn;
  beforeEach(async () => {
    s = await createSecuredApp();
    admin = await login(s.app, 'admin', TEST_ADMIN_PASSWORD);
  });
  afterEach(async () => {
    await s.close();
  });

  const createUser = (payload: object, headers = admin.bearer) => s.app.inject({ method: 'POST', url: '/api/users', headers, payload });

  it('given an admin, when a scoped manager is created, then it is listed without any hash and can log in', async () => {
    const res = await createUser({ username: 'mia', password: 'twelve-chars-ok', role: 'manager', locations: ['store-a'] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      user: { username: 'mia', role: 'manager', locations: ['store-a'], disabled: false, createdAt: '2025-03-01T09:00:00.000Z', permissions: [], seesCosts: true },
    });
    const list = await s.app.inject({ method: 'GET', url: '/api/users', headers: admin.bearer });
    expect(list.json().items.map((u: { username: string }) => u.username)).toEqual(['admin', 'mia']);
    expect(list.body).not.toMatch(/hash|argon2/i);
    expect((await login(s.app, 'mia', 'twelve-chars-ok')).token).toMatch(/^sts_/);
  });

  it('rejects passwords under 12 characters, scoped roles without locations, and unknown fields with 400', async () => {
    for (const payload of [
      { username: 'a', password: 'short-pw-11', role: 'analyst' },
      { username: 'b', password: 'long-enough-password', role: 'manager' },
      { username: 'c', password: 'long-enough-password', role: 'staff', locations: [] },
      { username: 'd', password: 'long-enough-password', role: 'analyst', isAdmin: true },
      { username: 'Eve', password: 'long-enough-password', role: 'analyst' },
      { username: 'f', password: 'long-enough-password', role: 'root' },
    ]) {
      const res = await createUser(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await s.identity.countUsers()).toBe(1);
  });

  it('stores no locations for unscoped roles', async () => {
    const res = await createUser({ username: 'ana', password: 'long-enough-password', role: 'analyst', locations: ['store-a'] });
    expect(res.json().user.locations).toEqual([]);
  });

  it('answers 409 for an existing username and keeps the first user', async () => {
    await createUser({ username: 'mia', password: 'long-enough-password', role: 'auditor' });
    const again = await createUser({ username: 'mia', password: 'another-long-password', role: 'admin' });
    expect(again.statusCode).toBe(409);
    expect((await s.identity.getUser('mia'))?.role).toBe('auditor');
  });

  it('lets only admins manage users', async () => {
    const password = await addUser(s.identity, 'mgr', 'manager', ['store-a']);
    const mgr = await login(s.app, 'mgr', password);
    expect((await createUser({ username: 'x', password: 'long-enough-password', role: 'admin' }, mgr.bearer)).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'GET', url: '/api/users', headers: mgr.bearer })).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'PATCH', url: '/api/users/mgr', headers: mgr.bearer, payload: { role: 'admin' } })).statusCode).toBe(403);
    expect((await s.identity.getUser('mgr'))?.role).toBe('manager');
  });

  it('given a user, when their role or locations change, then their sessions are revoked and the new rule applies', async () => {
    const password = await addUser(s.identity, 'sam', 'staff', ['store-a']);
    const before = await login(s.app, 'sam', password);
    const res = await s.app.inject({ method: 'PATCH', url: '/api/users/sam', headers: admin.bearer, payload: { role: 'manager', locations: ['store-b'] } });
    expect(res.json().user).toMatchObject({ role: 'manager', locations: ['store-b'] });
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: before.bearer })).statusCode).toBe(401);
    const after = await login(s.app, 'sam', password);
    const me = await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: after.bearer });
    expect(me.json().user).toEqual({ username: 'sam', role: 'manager', locations: ['store-b'], permissions: [], seesCosts: true });
  });

  it('changes a password: the old one stops working, the new one works', async () => {
    const old = await addUser(s.identity, 'sam', 'analyst');
    await s.app.inject({ method: 'PATCH', url: '/api/users/sam', headers: admin.bearer, payload: { password: 'the-new-password-1' } });
    expect((await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'sam', password: old } })).statusCode).toBe(401);
    expect((await login(s.app, 'sam', 'the-new-password-1')).token).toMatch(/^sts_/);
  });

  it('rejects an empty patch (400), an unknown user (404), and demoting a scoped role into no locations (400)', async () => {
    expect((await s.app.inject({ method: 'PATCH', url: '/api/users/admin', headers: admin.bearer, payload: {} })).statusCode).toBe(400);
    expect((await s.app.inject({ method: 'PATCH', url: '/api/users/ghost', headers: admin.bearer, payload: { disabled: true } })).statusCode).toBe(404);
    await addUser(s.identity, 'ana', 'analyst');
    expect((await s.app.inject({ method: 'PATCH', url: '/api/users/ana', headers: admin.bearer, payload: { role: 'staff' } })).statusCode).toBe(400);
  });

  it('refuses to disable or demote the last enabled admin (409), allows it when another admin exists', async () => {
    const last = await s.app.inject({ method: 'PATCH', url: '/api/users/admin', headers: admin.bearer, payload: { disabled: true } });
    expect(last.statusCode).toBe(409);
    expect((await s.app.inject({ method: 'PATCH', url: '/api/users/admin', headers: admin.bearer, payload: { role: 'analyst' } })).statusCode).toBe(409);
    await addUser(s.identity, 'root2', 'admin');
    expect((await s.app.inject({ method: 'PATCH', url: '/api/users/admin', headers: admin.bearer, payload: { role: 'analyst' } })).statusCode).toBe(200);
  });
});
