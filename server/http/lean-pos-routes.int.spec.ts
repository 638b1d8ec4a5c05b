import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullApp, type FullApp } from '../testing/full-app';

let full: FullApp;
beforeAll(async () => {
  full = await startFullApp();
});
afterAll(async () => {
  await full.close();
});

describe('the lean POS webhook path', () => {
  it('given a POS webhook, then the answer carries no page headers, while API answers keep them', async () => {
    const pos = await full.app.inject({ method: 'POST', url: '/pos/unknown/webhook', payload: '{}', headers: { 'content-type': 'application/json' } });
    expect(pos.statusCode).toBeGreaterThanOrEqual(400); // unknown connection: refused, not a page
    expect(pos.headers['content-security-policy']).toBeUndefined();
    expect(pos.headers['x-frame-options']).toBeUndefined();
    const api = await full.app.inject({ method: 'GET', url: '/health' });
    expect(api.headers['content-security-policy']).toBeDefined();
    expect(api.headers['x-frame-options']).toBeDefined();
  });
});
