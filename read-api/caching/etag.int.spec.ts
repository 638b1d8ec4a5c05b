/**
 * Conditional reads and rate-limit fields on the full app: a read repeated with its ETag
 * answers 304 (the read position validates position-pure reads before any work; other reads
 * hash their body), a new event changes the tag, another caller gets another tag; every answer
 * carries RateLimit fields, and a caller over its limit gets 429 problem+json with Retry-After.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, apiRateLimit } from '../../security/rate-limits';
import { HttpProblem } from '../../server/http/problem';
import { startFullApp, type FullApp, type Headers } from '../../server/testing/full-app';
import { createTestApp } from '../../server/testing/test-app';
import { installEtags, matchesIfNoneMatch } from './etag';

let f: FullApp;
let analyst: Headers;

beforeAll(async () => {
  f = await startFullApp();
  analyst = await f.tokenFor('analyst');
  expect((await f.post('/api/locations', f.admin, { id: 'store-1', name: 'Main St', type: 'store' })).statusCode).toBe(201);
  expect((await f.post('/api/products', f.admin, { sku: 'SKU-1', name: 'Soap' })).statusCode).toBe(201);
  const receipt = await f.post('/api/stock/receipts', f.admin, { locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 5 }] });
  expect(receipt.statusCode).toBe(201);
  expect((await f.get(`/api/stock?minPosition=${String(receipt.json().position)}`, analyst)).statusCode).toBe(200);
});
afterAll(async () => f?.close());

describe('ETag and 304 on reads', () => {
  it('given a stock read, when repeated with its ETag at the same position, then 304 with no body; a new event gives a new tag', async () => {
    const first = await f.get('/api/stock', analyst);
    expect(first.statusCode).toBe(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"p\d+\.[A-Za-z0-9_-]+"$/);
    expect(etag).toContain(`"p${String(first.json().position)}.`);
    expect(first.headers['cache-control']).toBe('private, no-cache');

    const again = await f.get('/api/stock', { ...analyst, 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);

    const sale = await f.post('/api/stock/sales', f.admin, { locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(sale.statusCode).toBe(201);
    await f.get(`/api/stock?minPosition=${String(sale.json().position)}`, analyst);
    const after = await f.get('/api/stock', { ...analyst, 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.json().items[0].onHand).toBe(4);
  });

  it('gives another caller, another query or another format its own tag', async () => {
    const manager = await f.tokenFor('manager', ['store-1']);
    const tags = await Promise.all([
      f.get('/api/stock', analyst), f.get('/api/stock', manager), f.get('/api/stock?sku=SKU-1', analyst), f.get('/api/stock?format=csv', analyst),
    ]);
    expect(new Set(tags.map((t) => t.headers.etag)).size).toBe(4);
    expect((await f.get('/api/stock', { ...manager, 'if-none-match': String(tags[0]!.headers.etag) })).statusCode).toBe(200);
  });

  it('tags other reads by their body, and answers 304 to a matching If-None-Match', async () => {
    const first = await f.get('/api/alerts', analyst);
    expect(first.statusCode).toBe(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect((await f.get('/api/alerts', { ...analyst, 'if-none-match': `W/${etag}, "other"` })).statusCode).toBe(304);
  });

  it('never tags a refused read or a command', async () => {
    const refused = await f.get('/api/stock?limit=0', analyst);
    expect(refused.statusCode).toBe(400);
    expect(refused.headers.etag).toBeUndefined();
    const command = await f.post('/api/stock/receipts', { ...f.admin, 'if-none-match': '*' }, { locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(command.statusCode).toBe(201);
  });

  it('given a faster projector commits while the lowest checkpoint stays, then the tag changes: never a stale 304', async () => {
    const checkpoints = [5n, 9n];
    let reads = 0;
    const app = createTestApp();
    installEtags(app, { currentPosition: () => 5n, checkpoints: async () => [...checkpoints], positionValidated: new Set(['GET /api/thing']) });
    app.get('/api/thing', { config: { access: { roles: ['analyst'] } } }, async () => ({ reads: ++reads }));
    await app.ready();
    const get = (etag?: string) => app.inject({ method: 'GET', url: '/api/thing', headers: { 'x-test-principal': 'analyst:a:', ...(etag ? { 'if-none-match': etag } : {}) } });
    const first = await get();
    const tag = String(first.headers.etag);
    expect(tag).toMatch(/^"p5\./);
    expect((await get(tag)).statusCode).toBe(304);
    expect(reads).toBe(1); // the 304 ran no handler
    checkpoints[1] = 10n;
    const after = await get(tag);
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(tag);
    await app.close();
  });

  it('compares tags weakly, lists and * included', () => {
    expect(matchesIfNoneMatch('W/"a", "b"', '"b"')).toBe(true);
    expect(matchesIfNoneMatch('"a"', 'W/"a"')).toBe(true);
    expect(matchesIfNoneMatch('*', '"a"')).toBe(true);
    expect(matchesIfNoneMatch('"a"', '"b"')).toBe(false);
    expect(matchesIfNoneMatch(undefined, '"b"')).toBe(false);
  });
});

describe('RateLimit fields', () => {
  // 401 and 403 are answered by the access check, before the limiter counts the request: they carry none.
  it('are on every answer past the access check: reads, commands, problems and public routes', async () => {
    const command = await f.post('/api/stock/receipts', f.admin, { locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 1 }] });
    const answers = { read: await f.get('/api/stock', analyst), bad: await f.get('/api/stock?limit=0', analyst), health: await f.get('/health', {}), command };
    for (const [what, res] of Object.entries(answers)) {
      expect(res.headers['ratelimit-limit'], what).toBe(String(DEFAULT_RATE_LIMITS.apiMax));
      expect(Number(res.headers['ratelimit-remaining'])).toBeGreaterThanOrEqual(0);
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
    }
  });

  it('given IMS_API_RATE_LIMIT, then the whole app counts each caller against it', async () => {
    const limited = await startFullApp({ apiRateLimit: 2 });
    try {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await limited.get('/api/stock', limited.admin));
      expect(answers.map((a) => [a.statusCode, a.headers['ratelimit-limit']])).toEqual([[200, '2'], [200, '2'], [429, '2']]);
      expect(answers[2]!.json()).toMatchObject({ status: 429, type: 'urn:stocktide:problem:rate-limited' });
    } finally {
      await limited.close();
    }
  });

  it('given a caller over its limit, then 429 problem+json with Retry-After, and other callers still pass', async () => {
    const app = createTestApp();
    await app.register(fastifyRateLimit, {
      ...apiRateLimit({ ...DEFAULT_RATE_LIMITS, apiMax: 3, apiWindowMs: 60_000 }),
      errorResponseBuilder: (_request, context) => new HttpProblem(context.statusCode, `too many requests; retry in ${context.after}`, {}, 'urn:stocktide:problem:rate-limited'),
    });
    app.get('/api/thing', { config: { access: { roles: ['analyst'] } } }, async () => ({ ok: true }));
    await app.ready();
    const as = (token: string) => ({ 'x-test-principal': 'analyst:a:', authorization: `Bearer ${token}` });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await app.inject({ method: 'GET', url: '/api/thing', headers: as('one') }));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    const refused = answers[3]!;
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ status: 429, type: 'urn:stocktide:problem:rate-limited' });
    expect((await app.inject({ method: 'GET', url: '/api/thing', headers: as('two') })).statusCode).toBe(200);
    await app.close();
  });
});
