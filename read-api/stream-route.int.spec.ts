import type { FastifyInstance } from 'fastify';
import { Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projections } from '../projections/models/index';
import { ev, project, recorded } from '../projections/models/testing/project';
import type { ReadModelChange } from '../projections/runner/projection';
import { createTestApp, principalHeader } from '../server/testing/test-app';
import { streamRoutes } from './stream-route';

interface SseEvent { id?: string; event?: string; data?: Record<string, unknown> }

/** Opens the stream and hands back a reader that yields parsed events. */
async function connect(base: string, path: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const res = await fetch(`${base}${path}`, { headers, signal: abort.signal });
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const queue: SseEvent[] = [];
  let connected = false;
  async function pump(): Promise<void> {
    const { value, done } = await reader!.read();
    if (done) throw new Error('stream ended');
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      if (block.startsWith(':')) {
        if (block.includes('connected')) connected = true;
        continue;
      }
      const e: SseEvent = {};
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(': ');
        const v = rest.join(': ');
        if (field === 'id') e.id = v;
        if (field === 'event') e.event = v;
        if (field === 'data') e.data = JSON.parse(v);
      }
      queue.push(e);
    }
  }
  return {
    status: res.status,
    async ready() {
      while (!connected) await pump();
    },
    async next(): Promise<SseEvent> {
      while (queue.length === 0) await pump();
      return queue.shift()!;
    },
    close: () => abort.abort(),
  };
}

const stockChange = (locationId: string, onHand: number, position: string): ReadModelChange =>
  ({ kind: 'stock', locationId, sku: 'S1', onHand, inTransitIn: 0, inTransitOut: 0, position });

describe('GET /api/stream', () => {
  let app: FastifyInstance;
  let base: string;
  const changes$ = new Subject<ReadModelChange>();

  beforeAll(async () => {
    const events = recorded(
      ev('StockReceived', { locationId: 'A', receiptId: 'r1', lines: [{ sku: 'S1', quantity: 10, unitCost: 100 }] }, '2026-03-02T08:00:00.000Z'),
      ev('StockReceived', { locationId: 'B', receiptId: 'r2', lines: [{ sku: 'S1', quantity: 4, unitCost: 100 }] }, '2026-03-02T08:00:00.000Z'),
      ev('StockSold', { locationId: 'A', saleId: 's1', lines: [{ sku: 'S1', quantity: 1 }] }, '2026-03-02T09:00:00.000Z'),
    );
    const store = await (await project(projections, events)).store();
    app = createTestApp();
    await streamRoutes(app, { changes$, readStore: store, heartbeatMs: 60_000 });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    // fetch keeps idle sockets alive for 4 s; close them rather than wait.
    app.server.closeAllConnections();
    await app.close();
  });

  it('sends live changes with the position as id', async () => {
    const client = await connect(base, '/api/stream', principalHeader('analyst'));
    expect(client.status).toBe(200);
    await client.ready();
    changes$.next(stockChange('A', 9, '10'));
    expect(await client.next()).toEqual({ id: '10', event: 'stock', data: { locationId: 'A', sku: 'S1', onHand: 9, inTransitIn: 0, inTransitOut: 0, position: '10' } });
    client.close();
  });

  it('filters by ?locationId= and by the caller\'s scope', async () => {
    const filtered = await connect(base, '/api/stream?locationId=B', principalHeader('analyst'));
    const scoped = await connect(base, '/api/stream', principalHeader('staff', 'sam', ['A']));
    await filtered.ready();
    await scoped.ready();
    changes$.next(stockChange('A', 8, '11'));
    changes$.next(stockChange('B', 3, '12'));
    expect((await filtered.next()).id).toBe('12');
    expect((await scoped.next()).id).toBe('11');
    changes$.next(stockChange('A', 7, '13'));
    expect((await scoped.next()).id).toBe('13');
    filtered.close();
    scoped.close();
    const refused = await fetch(`${base}/api/stream?locationId=B`, { headers: principalHeader('staff', 'sam', ['A']) });
    expect(refused.status).toBe(403);
    await refused.text();
  });

  it('hands each client its own view of a turn: clients of one view get the same frames, in order, others theirs', async () => {
    const everything = await connect(base, '/api/stream', principalHeader('analyst'));
    const alsoEverything = await connect(base, '/api/stream', principalHeader('admin', 'ada'));
    const onlyB = await connect(base, '/api/stream', principalHeader('staff', 'bo', ['B']));
    for (const client of [everything, alsoEverything, onlyB]) await client.ready();
    // One turn, as a projector batch hands it over: A, B, A.
    changes$.next(stockChange('A', 6, '20'));
    changes$.next(stockChange('B', 2, '21'));
    changes$.next(stockChange('A', 5, '22'));
    for (const client of [everything, alsoEverything]) {
      expect([(await client.next()).id, (await client.next()).id, (await client.next()).id]).toEqual(['20', '21', '22']);
    }
    expect((await onlyB.next()).data).toMatchObject({ locationId: 'B', onHand: 2, position: '21' });
    // A turn with nothing B may see sends B nothing: its next frame is from the turn after.
    changes$.next(stockChange('A', 4, '23'));
    await new Promise((resolve) => setImmediate(resolve));
    changes$.next(stockChange('B', 1, '24'));
    expect((await onlyB.next()).id).toBe('24');
    for (const client of [everything, alsoEverything, onlyB]) client.close();
  });

  it('resumes after Last-Event-ID from the stored documents, then goes live', async () => {
    const client = await connect(base, '/api/stream', { ...principalHeader('analyst'), 'last-event-id': '2' });
    await client.ready();
    // B's stock doc is at position 2, A's at 3: both are replayed in position order.
    expect(await client.next()).toMatchObject({ id: '2', event: 'stock', data: { locationId: 'B', onHand: 4 } });
    expect(await client.next()).toMatchObject({ id: '3', event: 'stock', data: { locationId: 'A', onHand: 9 } });
    changes$.next(stockChange('B', 2, '14'));
    expect(await client.next()).toMatchObject({ id: '14', data: { locationId: 'B', onHand: 2 } });
    client.close();
    const bad = await fetch(`${base}/api/stream?lastEventId=x`, { headers: principalHeader('analyst') });
    expect(bad.status).toBe(400);
    await bad.text();
  });

  it('drops the seam duplicates: a live change already covered by the replay is not sent twice', async () => {
    const inner = await (await project(projections, recorded(
      ev('StockReceived', { locationId: 'A', receiptId: 'r1', lines: [{ sku: 'S1', quantity: 10, unitCost: 100 }] }, '2026-03-02T08:00:00.000Z'),
    ))).store();
    const live$ = new Subject<ReadModelChange>();
    // The changes arrive while the replay reads the store: one it covers, one newer.
    const racing = Object.create(inner) as typeof inner;
    racing.find = async (collection, query) => {
      if (collection === 'stock') {
        live$.next(stockChange('A', 10, '1'));
        live$.next(stockChange('A', 6, '30'));
      }
      return inner.find(collection, query);
    };
    const seam = createTestApp();
    await streamRoutes(seam, { changes$: live$, readStore: racing });
    const url = await seam.listen({ port: 0, host: '127.0.0.1' });
    const client = await connect(url, '/api/stream?lastEventId=1', principalHeader('analyst'));
    expect(await client.next()).toMatchObject({ id: '1', data: { onHand: 10 } });
    expect(await client.next()).toMatchObject({ id: '30', data: { onHand: 6 } });
    live$.next(stockChange('A', 5, '31'));
    expect((await client.next()).id).toBe('31');
    client.close();
    seam.server.closeAllConnections();
    await seam.close();
  });

  it('disconnects a client that does not read instead of buffering without bound', async () => {
    const live$ = new Subject<ReadModelChange>();
    const slow = createTestApp();
    await streamRoutes(slow, { changes$: live$, readStore: (await (await project(projections, [])).store()), maxBufferedBytes: 64 * 1024 });
    const url = await slow.listen({ port: 0, host: '127.0.0.1' });
    const client = await connect(url, '/api/stream', principalHeader('analyst'));
    await client.ready();
    const big = 'x'.repeat(64 * 1024);
    for (let i = 1; i <= 400; i++) {
      live$.next({ kind: 'alert', alertId: `a${i}`, alertType: 'low_stock', status: 'open', locationId: 'A', message: big, position: String(i) });
    }
    await new Promise((resolve) => setImmediate(resolve)); // the turn's frames are written together, after it
    expect(live$.observed).toBe(false); // the server unsubscribed: the client was dropped
    let received = 0;
    await expect((async () => {
      for (;;) {
        await client.next();
        received++;
      }
    })()).rejects.toThrow();
    expect(received).toBeLessThan(400);
    client.close();
    slow.server.closeAllConnections();
    await slow.close();
  });
});
