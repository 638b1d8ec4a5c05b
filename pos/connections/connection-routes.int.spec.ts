import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { principalHeader } from '../../server/testing/test-app';
import { admin, createHarness, type Harness } from '../testing/pos-harness';

let h: Harness;
beforeEach(async () => { h = await createHarness(); });
afterEach(() => h.close());

const create = (payload: Record<string, unknown>, headers = admin) => h.app.inject({ method: 'POST', url: '/api/pos/connections', headers, payload });

describe('POS connection routes', () => {
  it('given a new connection, then 201 without its secret or token, readable and listable by admins', async () => {
    const res = await create({ id: 'sq', kind: 'square', secret: 'very-secret-key', accessToken: 'EAAA-token', notificationUrl: 'https://x.example/pos/sq/webhook', apiBaseUrl: 'https://connect.squareup.com', locationMap: { L1: 'store-1' } });
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain('very-secret-key');
    expect(res.body).not.toContain('EAAA-token');
    expect(res.json()).toMatchObject({ id: 'sq', kind: 'square', hasAccessToken: true, disabled: false, skuMap: {} });
    const list = await h.app.inject({ method: 'GET', url: '/api/pos/connections', headers: admin });
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual(['sq']);
    expect(list.body).not.toContain('very-secret-key');
    expect((await h.app.inject({ method: 'GET', url: '/api/pos/connections/sq', headers: admin })).json()).toMatchObject({ id: 'sq' });
    expect((await h.app.inject({ method: 'GET', url: '/api/pos/connections/none', headers: admin })).statusCode).toBe(404);
  });

  it('given bad input, a duplicate id, a square connection without notificationUrl or a non-admin, then 4xx', async () => {
    expect((await create({ id: 'g', kind: 'generic', secret: 'short', locationMap: {} })).statusCode).toBe(400);
    expect((await create({ id: 'g', kind: 'other', secret: 'long-enough', locationMap: {} })).statusCode).toBe(400);
    expect((await create({ id: 'sq', kind: 'square', secret: 'long-enough', locationMap: {} })).statusCode).toBe(400);
    expect((await create({ id: 'g', kind: 'generic', secret: 'long-enough', locationMap: {} }, principalHeader('manager'))).statusCode).toBe(403);
    expect((await create({ id: 'g', kind: 'generic', secret: 'long-enough', locationMap: {} })).statusCode).toBe(201);
    expect((await create({ id: 'g', kind: 'generic', secret: 'long-enough', locationMap: {} })).statusCode).toBe(409);
  });

  it('given a patch, then maps merge (null removes a key), the secret rotates and the connection can be disabled', async () => {
    await create({ id: 'g', kind: 'generic', secret: 'first-secret', locationMap: { A: 'store-1', B: 'store-2' } });
    const res = await h.app.inject({ method: 'PATCH', url: '/api/pos/connections/g', headers: admin, payload: { locationMap: { B: null, C: 'store-2' }, skuMap: { X: 'SKU-1' }, secret: 'second-secret', disabled: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ locationMap: { A: 'store-1', C: 'store-2' }, skuMap: { X: 'SKU-1' }, disabled: true });
    expect(res.body).not.toContain('second-secret');
    expect((await h.store.getConnection('g'))!.secret).toBe('second-secret');
    expect((await h.app.inject({ method: 'PATCH', url: '/api/pos/connections/g', headers: admin, payload: {} })).statusCode).toBe(400);
  });
});
