/**
 * The roles apart, as real processes on one data dir (docs/topology.md):
 *
 * - one `api` process and two `projector,outbound` processes: exactly one projector is active;
 *   SIGKILL it mid-stream; the other takes over (fenced by a greater token); the read models
 *   equal a rebuild; a webhook receiver, dropping repeats by `X-Stocktide-Event-Id` as the
 *   contract asks, counts every notification exactly once across the takeover.
 * - two `api` processes: a sale through one is seen on an SSE stream of the other.
 *
 * Bounded: fixed request counts, every wait has a deadline, 127.0.0.1 only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqliteReadStore } from '../projections/readstore/sqlite-read-store';
import { OUTBOX, type OutboxDoc } from '../outbound/notifications';
import { SqliteLeaseStore } from '../topology/lease/sqlite-lease-store';
import { genericSignature } from './testing/full-app';
import { killAllChildren, runScript, startChildRoles, startChildServer, type ChildServer } from './testing/child-server';
import { openSse } from './testing/sse-client';

const ADMIN_PASSWORD = 'topology-admin-password-1';
const SECRET = 'till-secret-topology-1';
const TTL = '1500';
const dirs: string[] = [];
let receiver: Server | undefined;

afterEach(async () => {
  await killAllChildren();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-topology-'));
  dirs.push(dir);
  return dir;
};

async function call(url: string, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(raw !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(raw !== undefined && { body: raw }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function setUpChain(api: ChildServer): Promise<string> {
  const login = await call(api.url, 'POST', '/api/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD });
  expect(login.status).toBe(200);
  const token = String(login.body.token);
  for (const [path, body] of [
    ['/api/locations', { id: 'store-a', name: 'Store A', type: 'store' }],
    ['/api/products', { sku: 'SKU-1', name: 'Mug' }],
    ['/api/pos/connections', { id: 'till-a', kind: 'generic', secret: SECRET, locationMap: { 'pos-a': 'store-a' } }],
  ] as const) {
    expect((await call(api.url, 'POST', path, token, body)).status, path).toBe(201);
  }
  return token;
}

const sell = (api: ChildServer, i: number) => {
  const raw = JSON.stringify({ eventId: `ticket-${i}`, type: 'sale', locationId: 'pos-a', occurredAt: '2025-03-01T10:00:00.000Z', lines: [{ sku: 'SKU-1', quantity: 1 }] });
  return call(api.url, 'POST', '/pos/till-a/webhook', undefined, raw, { 'x-ims-signature': genericSignature(SECRET, raw) });
};

const pidOf = (holder: string | undefined) => Number(holder?.split('/')[1]);

describe('roles apart, on one data dir', () => {
  it('given two projector processes, when the active one is SIGKILLed, then the other takes over, read models equal a rebuild and each webhook is counted once', async () => {
    const dataDir = newDataDir();
    const env = { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD, IMS_LEASE_TTL_MS: TTL };
    const received = new Map<string, number>(); // X-Stocktide-Event-Id -> deliveries
    receiver = createServer((req, res) => {
      const id = String(req.headers['x-stocktide-event-id']);
      received.set(id, (received.get(id) ?? 0) + 1);
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', () => resolve()));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

    const api = await startChildServer(dataDir, { ...env, IMS_ROLES: 'api' });
    const first = await startChildRoles(dataDir, { ...env, IMS_ROLES: 'projector,outbound' });
    const second = await startChildRoles(dataDir, { ...env, IMS_ROLES: 'projector,outbound' });
    const token = await setUpChain(api);
    expect((await call(api.url, 'POST', '/api/webhooks/subscriptions', token, { url: receiverUrl, kinds: ['stock.changed'] })).status).toBe(201);

    const leases = new SqliteLeaseStore(join(dataDir, 'read.sqlite'));
    let standby = second;
    try {
      const before = await until('a projector lease', async () => leases.current('projector'));
      const active = [first, second].find((p) => p.process.pid === pidOf(before.holder));
      standby = active === first ? second : first;
      expect(active, `projector lease held by ${before.holder}`).toBeDefined();

      for (let i = 0; i < 20; i += 1) expect((await sell(api, i)).status).toBe(200);
      await until('the first sales projected', async () => {
        const health = (await call(api.url, 'GET', '/health')).body;
        return health.position === health.headPosition ? true : undefined;
      });
      active!.process.kill('SIGKILL');
      expect(await active!.exited).toBe('SIGKILL');
      for (let i = 20; i < 40; i += 1) expect((await sell(api, i)).status).toBe(200);

      // The standby holds both leases now, under greater tokens than any before.
      const after = await until('the takeover', async () => {
        const lease = await leases.current('projector');
        return lease && pidOf(lease.holder) === standby.process.pid ? lease : undefined;
      });
      expect(after.token).toBeGreaterThan(before.token);
      await until('the outbound takeover', async () => {
        const lease = await leases.current('outbound');
        return lease && pidOf(lease.holder) === standby.process.pid ? lease : undefined;
      });
      const head = await until('every sale projected', async () => {
        const health = (await call(api.url, 'GET', '/health')).body;
        return health.position === health.headPosition ? String(health.headPosition) : undefined;
      });
      const stock = await call(api.url, 'GET', `/api/stock?locationId=store-a&sku=SKU-1&minPosition=${head}`, token);
      expect((stock.body.items as Array<{ onHand: number }>)[0]?.onHand).toBe(-40);

      // Every stock.changed notification reaches the receiver; repeats (an attempt in flight at
      // the kill) carry the same event id, so the receiver counts each exactly once.
      const readStore = new SqliteReadStore({ path: join(dataDir, 'read.sqlite') });
      const expected = (await readStore.find<OutboxDoc>(OUTBOX.notifications)).filter((d) => d.kind === 'stock.changed').map((d) => d._id);
      await readStore.close();
      expect(expected.length).toBeGreaterThanOrEqual(40);
      await until('every webhook delivered', async () => (expected.every((id) => received.has(id)) ? true : undefined), 30_000);
      expect([...received.keys()].sort()).toEqual([...expected].sort());
    } finally {
      await leases.close();
    }

    standby.process.kill('SIGTERM');
    api.process.kill('SIGTERM');
    expect(await standby.exited).toBe(0);
    expect(await api.exited).toBe(0);
    const rebuild = await runScript('scripts/rebuild.ts', { IMS_DATA_DIR: dataDir }, 60_000);
    expect(rebuild.code, rebuild.output).toBe(0);
    expect(rebuild.output).toContain('identical');
  }, 240_000);

  it('given two api processes on one data dir, when a sale goes through one, then an SSE stream of the other shows it', async () => {
    const dataDir = newDataDir();
    const env = { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD, IMS_LEASE_TTL_MS: TTL };
    const one = await startChildServer(dataDir, env); // api + projector + outbound
    const other = await startChildServer(dataDir, { ...env, IMS_ROLES: 'api' });
    const token = await setUpChain(one);
    const sse = await openSse(`${other.url}/api/stream?locationId=store-a`, { authorization: `Bearer ${token}` });
    try {
      expect(sse.status).toBe(200);
      expect((await sell(one, 1)).status).toBe(200);
      const frame = await sse.waitFor((e) => e.event === 'stock' && e.data.sku === 'SKU-1' && e.data.onHand === -1, 20_000);
      expect(frame.data).toMatchObject({ locationId: 'store-a', onHand: -1 });
    } finally {
      sse.close();
    }
  }, 120_000);
});
