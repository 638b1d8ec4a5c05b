/**
 * GET /api/stream on a listening app (127.0.0.1, a free port): live changes, resuming with
 * Last-Event-ID, and a staff member's stream scoped to their location.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFullApp, type FullApp, type Headers } from './testing/full-app';
import { openSse, type SseConnection, type SseEvent } from './testing/sse-client';

let f: FullApp;
let staffA: Headers;
const open: SseConnection[] = [];

beforeAll(async () => {
  f = await startFullApp({ listen: true });
  staffA = await f.tokenFor('staff', ['store-a']);
  for (const [url, body] of [
    ['/api/locations', { id: 'store-a', name: 'Store A', type: 'store' }],
    ['/api/locations', { id: 'store-b', name: 'Store B', type: 'store' }],
    ['/api/products', { sku: 'SKU-1', name: 'Mug' }],
  ] as const) {
    const res = await f.post(url, f.admin, body);
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  }
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
afterAll(async () => {
  await f?.close();
});

const connect = async (headers: Headers, lastEventId?: string) => {
  const c = await openSse(`${f.built.url}/api/stream`, { ...headers, ...(lastEventId && { 'last-event-id': lastEventId }) });
  open.push(c);
  expect(c.status).toBe(200);
  return c;
};
const receive = async (locationId: string, quantity: number): Promise<string> => {
  const res = await f.post('/api/stock/receipts', f.admin, { locationId, lines: [{ sku: 'SKU-1', quantity }] });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { position: string }).position;
};
const stockAt = (locationId: string, position: string) => (e: SseEvent) =>
  e.event === 'stock' && e.data.locationId === locationId && e.data.position === position;

describe('the live stream', () => {
  it('given a connected client, when stock is received through the API, then it gets the stock change with the position as id', async () => {
    const client = await connect(f.admin);
    const position = await receive('store-a', 3);
    const event = await client.waitFor(stockAt('store-a', position));
    expect(event).toEqual({
      id: position, event: 'stock',
      data: expect.objectContaining({ locationId: 'store-a', sku: 'SKU-1', onHand: 3, position }),
    });
  });

  it('given a client that missed changes, when it resumes with Last-Event-ID, then it gets what it missed', async () => {
    const seen = await receive('store-a', 1);
    const missedA = await receive('store-a', 2);
    const missedB = await receive('store-b', 5);
    const resumed = await connect(f.admin, String(BigInt(seen) + 1n));
    const a = await resumed.waitFor(stockAt('store-a', missedA));
    const b = await resumed.waitFor(stockAt('store-b', missedB));
    expect(a.data.onHand).toBe(6);
    expect(b.data.onHand).toBe(5);
    expect(b.id).toBe(missedB);
  });

  it('given a client that just wrote, when it opens the stream with minPosition and Last-Event-ID at its write, then its own change is the first it sees', async () => {
    const position = await receive('store-a', 4);
    const c = await openSse(`${f.built.url}/api/stream?minPosition=${position}&lastEventId=${position}`, f.admin);
    open.push(c);
    expect(c.status).toBe(200);
    const first = await c.waitFor(stockAt('store-a', position));
    expect(first.id).toBe(position);
  });

  it('given a staff member of store A, then their stream carries store A\'s changes and never store B\'s', async () => {
    const client = await connect(staffA);
    const atB = await receive('store-b', 1);
    const atA = await receive('store-a', 1);
    await client.waitFor(stockAt('store-a', atA));
    // B's change came first in the log; had it been let through it would be here by now.
    expect(BigInt(atB) < BigInt(atA)).toBe(true);
    expect(client.events.filter((e) => e.data.locationId === 'store-b' || e.data.toLocationId === 'store-b')).toEqual([]);
    // And the stream of an admin does carry B's change.
    const admin = await connect(f.admin, atB);
    await admin.waitFor(stockAt('store-b', atB));
  });
});
