/**
 * `GET /metrics` on the full app: given a few POS webhooks (one to an unknown SKU: quarantined),
 * commands and a connected SSE client, then the Prometheus text reports ack latency per POS
 * kind, append latency, projection lag per projector (growing while the projector is stopped),
 * SSE clients, outbound deliveries and the quarantine; only admins may read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genericSignature, startFullApp, type FullApp } from '../server/testing/full-app';

let f: FullApp;
const secret = 'till-secret-metrics-1';

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

async function webhook(eventId: string, sku: string) {
  const raw = JSON.stringify({ eventId, type: 'sale', locationId: 'pos-1', occurredAt: new Date().toISOString(), lines: [{ sku, quantity: 1 }] });
  return f.app.inject({ method: 'POST', url: '/pos/till-m/webhook', payload: raw, headers: { 'content-type': 'application/json', 'x-ims-signature': genericSignature(secret, raw) } });
}

beforeAll(async () => {
  f = await startFullApp({ listen: true });
  expect((await f.post('/api/locations', f.admin, { id: 'store-1', name: 'Main St', type: 'store' })).statusCode).toBe(201);
  expect((await f.post('/api/products', f.admin, { sku: 'SKU-1', name: 'Soap' })).statusCode).toBe(201);
  expect((await f.post('/api/pos/connections', f.admin, { id: 'till-m', kind: 'generic', secret, locationMap: { 'pos-1': 'store-1' } })).statusCode).toBe(201);
});
afterAll(async () => f?.close());

describe('GET /metrics', () => {
  it('is for admins only', async () => {
    expect((await f.get('/metrics', {})).statusCode).toBe(401);
    expect((await f.get('/metrics', await f.tokenFor('analyst'))).statusCode).toBe(403);
  });

  it('given webhooks, then it reports their ack latency per POS kind, append latency and the quarantine', async () => {
    for (let i = 0; i < 3; i++) expect((await webhook(`ticket-${i}`, 'SKU-1')).statusCode).toBe(200);
    expect((await webhook('ticket-unknown', 'NO-SUCH-SKU')).statusCode).toBe(202);
    const res = await f.get('/metrics', f.admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(sample(text, 'stocktide_webhook_ack_seconds_count', 'kind="generic",status="2xx"')).toBe(4);
    expect(sample(text, 'stocktide_webhook_ack_seconds_sum', 'kind="generic",status="2xx"')).toBeGreaterThan(0);
    expect(sample(text, 'stocktide_webhook_ack_seconds_bucket', 'le="5",kind="generic",status="2xx"')).toBe(4);
    expect(sample(text, 'stocktide_event_append_seconds_count', 'outcome="ok"')).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'stocktide_pos_quarantine_open')).toBe(1);
    for (const status of ['pending', 'failed', 'dead']) expect(sample(text, 'stocktide_outbound_deliveries', `status="${status}"`)).toBe(0);
    expect(sample(text, 'stocktide_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('reports projection lag per projector: 0 when caught up, events and seconds while a projector is stopped', async () => {
    const receipt = await f.post('/api/stock/receipts', f.admin, { locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 5 }] });
    await f.get(`/api/stock?minPosition=${String(receipt.json().position)}`, f.admin);
    const caughtUp = (await f.get('/metrics', f.admin)).body;
    const projections = caughtUp.split('\n').filter((l) => l.startsWith('stocktide_projection_lag_events{'));
    expect(projections.length).toBeGreaterThan(3);
    expect(projections.filter((l) => !l.endsWith(' 0'))).toEqual([]);

    await f.built.services.runner.stop();
    try {
      await f.post('/api/stock/receipts', f.admin, { locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 1 }] });
      await f.post('/api/stock/receipts', f.admin, { locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 1 }] });
      await new Promise((r) => setTimeout(r, 20));
      const behind = (await f.get('/metrics', f.admin)).body;
      const name = projections[0]!.slice('stocktide_projection_lag_events{'.length, projections[0]!.indexOf('}'));
      expect(sample(behind, 'stocktide_projection_lag_events', name)).toBe(2);
      expect(sample(behind, 'stocktide_projection_lag_seconds', name)).toBeGreaterThan(0);
      expect(sample(behind, 'stocktide_event_log_head_position')).toBe(Number(await f.head()));
    } finally {
      await f.built.services.runner.start();
    }
  });

  it('counts connected SSE clients and forgets them when they leave', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${f.built.url}/api/stream`, { headers: f.admin, signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(sample((await f.get('/metrics', f.admin)).body, 'stocktide_sse_clients', 'stream="stock"')).toBe(1);
    controller.abort();
    await stream.body?.cancel().catch(() => undefined);
    let clients: number | undefined = 1;
    for (let i = 0; i < 50 && clients !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      clients = sample((await f.get('/metrics', f.admin)).body, 'stocktide_sse_clients', 'stream="stock"');
    }
    expect(clients).toBe(0);
  });
});
