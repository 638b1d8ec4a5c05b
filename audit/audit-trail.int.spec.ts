/**
 * The audit trail through the full app: every security-relevant action leaves one record with
 * who, what, when, IP, user agent, target and before/after; auditors and admins read it with
 * filters, paging and CSV; nobody else does; and no password, token or secret ever appears.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProblem, startFullApp, type FullApp, type Headers } from '../server/testing/full-app';

let f: FullApp;
let auditor: Headers;
const UA = { 'user-agent': 'audit-test-agent/1.0' };
const SECRETS = ['sam-first-password-1', 'sam-second-password-2', 'pos-webhook-secret-123', 'pos-rotated-secret-456', 'sub-secret-0123456789abcdef'];
const issued: string[] = [];

interface Item { at: string; actor: string; action: string; target: string; ip: string; userAgent: string; detail: Record<string, unknown> }
const audit = async (query = '', headers: Headers = auditor) => {
  const res = await f.get(`/api/audit?minPosition=${await f.head()}${query}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Item[]; next?: string };
};

beforeAll(async () => {
  f = await startFullApp();
  auditor = await f.tokenFor('auditor');
  const as = (h: Headers) => ({ ...h, ...UA });
  expect((await f.post('/api/users', as(f.admin), { username: 'sam', password: SECRETS[0], role: 'staff', locations: ['store-a'] })).statusCode).toBe(201);
  expect((await f.post('/api/auth/login', UA, { username: 'sam', password: 'not-the-password' })).statusCode).toBe(401);
  const login = await f.post('/api/auth/login', UA, { username: 'sam', password: SECRETS[0] });
  expect(login.statusCode).toBe(200);
  issued.push(login.json().token, login.json().csrfToken);
  expect((await f.post('/api/auth/logout', { authorization: `Bearer ${login.json().token}`, ...UA })).statusCode).toBe(204);
  const patch = await f.call('PATCH', '/api/users/sam', as(f.admin), { role: 'manager', locations: ['store-a', 'store-b'], password: SECRETS[1] });
  expect(patch.statusCode).toBe(200);
  const token = await f.post('/api/tokens', as(f.admin), { name: 'bi-export', role: 'analyst' });
  expect(token.statusCode).toBe(201);
  issued.push(token.json().token);
  expect((await f.call('DELETE', `/api/tokens/${token.json().id}`, as(f.admin))).statusCode).toBe(204);
  expect((await f.post('/api/pos/connections', as(f.admin), { id: 'till-1', kind: 'generic', secret: SECRETS[2], locationMap: { P1: 'store-a' } })).statusCode).toBe(201);
  expect((await f.call('PATCH', '/api/pos/connections/till-1', as(f.admin), { secret: SECRETS[3], disabled: true })).statusCode).toBe(200);
  const sub = await f.post('/api/webhooks/subscriptions', as(f.admin), { url: 'https://hooks.example/x', kinds: ['stock.low'], secret: SECRETS[4] });
  expect(sub.statusCode).toBe(201);
  expect((await f.call('DELETE', `/api/webhooks/subscriptions/${sub.json().id}`, as(f.admin))).statusCode).toBe(204);
}, 60_000);
afterAll(async () => {
  await f?.close();
});

describe('the audit trail of people', () => {
  it('records logins, failed logins, logouts, user, token, POS connection and subscription changes with who, where and what', async () => {
    const { items } = await audit('&limit=500');
    const actions = items.map((i) => i.action).reverse();
    for (const action of ['auth.login', 'user.created', 'auth.login_failed', 'auth.logout', 'user.updated', 'token.created', 'token.revoked',
      'pos.connection.created', 'pos.connection.updated', 'webhook.subscription.created', 'webhook.subscription.deleted']) {
      expect(actions, action).toContain(action);
    }
    const failed = items.find((i) => i.action === 'auth.login_failed')!;
    expect(failed).toMatchObject({ actor: 'sam', target: 'user:sam', ip: '127.0.0.1', userAgent: 'audit-test-agent/1.0', detail: { via: 'anonymous' } });
    expect(Date.parse(failed.at)).toBeGreaterThan(Date.now() - 60_000);
    const changed = items.find((i) => i.action === 'user.updated')!;
    expect(changed).toMatchObject({
      actor: 'admin', target: 'user:sam',
      detail: { via: 'bearer', before: { role: 'staff', locations: ['store-a'] }, after: { role: 'manager', locations: ['store-a', 'store-b'] }, newPassword: true },
    });
    expect(items.find((i) => i.action === 'token.revoked')).toMatchObject({ actor: 'admin', target: expect.stringMatching(/^token:tok_/) });
    expect(items.find((i) => i.action === 'pos.connection.updated')).toMatchObject({ detail: { before: { disabled: false }, after: { disabled: true }, secretChanged: true } });
  });

  it('never holds a password, token or secret: not in the log, the API answer or the CSV', async () => {
    const events = (await f.events()).filter((e) => e.type === 'AuditRecorded');
    expect(events.length).toBeGreaterThanOrEqual(12);
    const csv = await f.get(`/api/audit?limit=500`, { ...auditor, accept: 'text/csv' });
    const everything = JSON.stringify(events) + JSON.stringify(await audit('&limit=500')) + csv.body;
    for (const secret of [...SECRETS, ...issued]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/passwordHash|tokenHash|\$argon2/);
  });

  it('filters by actor, action and time, pages newest first with a cursor, and answers CSV', async () => {
    expect((await audit('&action=token.revoked')).items.map((i) => i.action)).toEqual(['token.revoked']);
    expect((await audit('&actor=sam')).items.every((i) => i.actor === 'sam')).toBe(true);
    expect((await audit('&to=2000-01-01T00:00:00Z')).items).toEqual([]);
    expect((await audit(`&from=${encodeURIComponent(new Date(Date.now() - 600_000).toISOString())}`)).items.length).toBeGreaterThan(5);
    const all = (await audit('&limit=500')).items;
    const first = await audit('&limit=3');
    expect(first.items).toEqual(all.slice(0, 3));
    const second = await audit(`&limit=3&cursor=${first.next}`);
    expect(second.items).toEqual(all.slice(3, 6));
    const csv = await f.get('/api/audit?action=user.updated', { ...auditor, accept: 'text/csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, row] = csv.body.trim().split('\r\n');
    expect(header).toBe('at,actor,action,target,ip,userAgent,detail');
    expect(row).toContain('admin,user.updated,user:sam,127.0.0.1');
  });

  it('is for auditors and admins only, and refuses bad filters with 400', async () => {
    for (const role of ['manager', 'staff', 'analyst'] as const) {
      expect(isProblem(await f.get('/api/audit', await f.tokenFor(role, role === 'analyst' ? [] : ['store-a'])), 403)).toBe(true);
    }
    expect((await f.get('/api/audit', f.admin)).statusCode).toBe(200);
    expect(isProblem(await f.get('/api/audit', {}), 401)).toBe(true);
    for (const q of ['cursor=abc', 'from=yesterday', 'action=DROP%20TABLE', 'limit=501']) {
      expect(isProblem(await f.get(`/api/audit?${q}`, auditor), 400), q).toBe(true);
    }
  });
});
