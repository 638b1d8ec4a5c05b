/**
 * The roles apart, as real processes on one PostgreSQL database (issue 18, docs/postgres.md):
 * 2 `api` + 2 `projector` + 2 `outbound` processes on a fresh schema.
 *
 * - exactly one projector and one outbound sender are active (leases in the read store's
 *   schema); SIGKILL both active ones mid-stream; the standbys take over within the lease time
 *   (fenced by greater tokens); the read models equal a rebuild; a webhook receiver, dropping
 *   repeats by `X-Stocktide-Event-Id` as the contract asks, counts every notification exactly
 *   once across the takeover, and no notification is projected twice (one outbox document each).
 * - a sale through api A is seen on an SSE stream of api B (B follows `read_changes`).
 *
 * Bounded: fixed request counts, every wait has a deadline, 127.0.0.1 only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PostgresReadStore } from '../projections/readstore/postgres-read-store';
import { OUTBOX, type OutboxDoc } from '../outbound/notifications';
import { PostgresLeaseStore } from '../topology/lease/postgres-lease-store';
import { PostgresEventStore } from '../write-side/eventstore/postgres-event-store';
import { dropSchema, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../storage/testing/postgres-test';
import { genericSignature } from './testing/full-app';
import { killAllChildren, runScript, startChildRoles, startChildServer, type ChildServer } from './testing/child-server';
import { openSse } from './testing/sse-client';

reportPostgresSkip('2 api + 2 projector + 2 outbound processes');

const ADMIN_PASSWORD = 'pg-topology-admin-password-1';
const SECRET = 'till-secret-pg-topology-1';
const TTL_MS = 1500;
/** Six processes load their module graphs at once; on a loaded 2-core machine that takes a while. */
const START_MS = 90_000;
const dirs: string[] = [];
const schemas: string[] = [];
let receiver: Server | undefined;

afterEach(async () => {
  await killAllChildren();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
});
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  for (const schema of schemas) await dropSchema(schema);
});

const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-pg-topology-'));
  dirs.push(dir);
  return dir;
};

const newSchema = () => {
  const schema = freshSchema();
  schemas.push(schema);
  return schema;
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

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function setUpChain(api: ChildServer): Promise<string> {
  const token = await login(api);
  for (const [path, body] of [
    ['/api/locations', { id: 'store-a', name: 'Store A', type: 'store' }],
    ['/api/products', { sku: 'SKU-1', name: 'Mug' }],
    ['/api/pos/connections', { id: 'till-a', kind: 'generic', secret: SECRET, locationMap: { 'pos-a': 'store-a' } }],
  ] as const) {
    expect((await call(api.url, 'POST', path, token, body)).status, path).toBe(201);
  }
  return token;
}

async function login(api: ChildServer): Promise<string> {
  const res = await call(api.url, 'POST', '/api/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD });
  expect(res.status).toBe(200);
  return String(res.body.token);
}

const sell = (api: ChildServer, i: number) => {
  const raw = JSON.stringify({ eventId: `ticket-${i}`, type: 'sale', locationId: 'pos-a', occurredAt: '2025-03-01T10:00:00.000Z', lines: [{ sku: 'SKU-1', quantity: 1 }] });
  return call(api.url, 'POST', '/pos/till-a/webhook', undefined, raw, { 'x-ims-signature': genericSignature(SECRET, raw) });
};

const pidOf = (holder: string | undefined) => Number(holder?.split('/')[1]);

/** Waits until the projector has caught up with the log, as the api tells it. */
const caughtUp = (api: ChildServer) => until('the projector to catch up', async () => {
  const health = (await call(api.url, 'GET', '/health')).body;
  return health.position === health.headPosition ? String(health.headPosition) : undefined;
}, 60_000);

describe.runIf(Boolean(testDatabaseUrl))('roles apart, as processes on one PostgreSQL database', () => {
  it('given 2 api, 2 projector and 2 outbound processes, when the active projector and outbound are SIGKILLed, then the standbys take over within the lease, read models equal a rebuild and each webhook is sent once', async () => {
    const schema = newSchema();
    const databaseUrl = `${testDatabaseUrl}?schema=${schema}`;
    const env = { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD, IMS_LEASE_TTL_MS: String(TTL_MS), DATABASE_URL: databaseUrl };
    const received = new Map<string, number>(); // X-Stocktide-Event-Id -> deliveries
    receiver = createServer((req, res) => {
      const id = String(req.headers['x-stocktide-event-id']);
      received.set(id, (received.get(id) ?? 0) + 1);
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', () => resolve()));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

    // The first api creates the schema (migrations) and the admin; the others start on it.
    const apiA = await startChildServer(newDataDir(), { ...env, IMS_ROLES: 'api' }, START_MS);
    const [apiB, projector1, projector2, outbound1, outbound2] = await Promise.all([
      startChildServer(newDataDir(), { ...env, IMS_ROLES: 'api' }, START_MS),
      startChildRoles(newDataDir(), { ...env, IMS_ROLES: 'projector' }, START_MS),
      startChildRoles(newDataDir(), { ...env, IMS_ROLES: 'projector' }, START_MS),
      startChildRoles(newDataDir(), { ...env, IMS_ROLES: 'outbound' }, START_MS),
      startChildRoles(newDataDir(), { ...env, IMS_ROLES: 'outbound' }, START_MS),
    ]);
    const token = await setUpChain(apiA);
    const tokenB = await login(apiB);
    expect((await call(apiB.url, 'POST', '/api/webhooks/subscriptions', tokenB, { url: receiverUrl, kinds: ['stock.changed'] })).status).toBe(201);

    const leases = await PostgresLeaseStore.open({ url: testDatabaseUrl!, schema });
    const readStore = await PostgresReadStore.open({ url: testDatabaseUrl!, schema });
    const events = await PostgresEventStore.open({ url: testDatabaseUrl!, schema });
    try {
      type Role = Omit<ChildServer, 'url'>;
      const holderOf = async (name: string, among: readonly Role[]) => {
        const lease = await until(`a ${name} lease`, async () => {
          const l = await leases.current(name);
          return l && among.some((p) => p.process.pid === pidOf(l.holder)) ? l : undefined;
        });
        const active = among.find((p) => p.process.pid === pidOf(lease.holder))!;
        return { lease, active, standby: among.find((p) => p !== active)! };
      };
      const projector = await holderOf('projector', [projector1, projector2]);
      const outbound = await holderOf('outbound', [outbound1, outbound2]);

      // Sales through both apis; the first half is projected and (partly) sent before the kill.
      for (let i = 0; i < 20; i += 1) expect((await sell(i % 2 === 0 ? apiA : apiB, i)).status).toBe(200);
      await caughtUp(apiA);
      await until('some webhooks sent before the kill', async () => (received.size > 0 ? true : undefined));
      projector.active.process.kill('SIGKILL');
      outbound.active.process.kill('SIGKILL');
      const killedAt = Date.now();
      // Watched from the kill on, while the sales below go in: when did each standby take over?
      const takeover = (name: string, standby: Role) => until(`the ${name} takeover`, async () => {
        const lease = await leases.current(name);
        return lease && pidOf(lease.holder) === standby.process.pid ? { lease, ms: Date.now() - killedAt } : undefined;
      });
      const projectorTakeover = takeover('projector', projector.standby);
      const outboundTakeover = takeover('outbound', outbound.standby);
      expect(await projector.active.exited).toBe('SIGKILL');
      expect(await outbound.active.exited).toBe('SIGKILL');
      for (let i = 20; i < 40; i += 1) expect((await sell(i % 2 === 0 ? apiB : apiA, i)).status).toBe(200);

      // The standbys hold the leases now, under greater tokens, within the lease time (+ a
      // renewal period and a loaded machine's slack).
      const { lease: projectorAfter, ms: projectorMs } = await projectorTakeover;
      const { lease: outboundAfter, ms: outboundMs } = await outboundTakeover;
      expect(projectorMs, 'projector takeover, ms after the kill').toBeLessThan(TTL_MS + 5_000);
      expect(outboundMs, 'outbound takeover, ms after the kill').toBeLessThan(TTL_MS + 5_000);
      if (process.env.IMS_TEST_REPORT) console.info(`takeover after SIGKILL: projector ${projectorMs} ms, outbound ${outboundMs} ms (lease TTL ${TTL_MS} ms)`);
      expect(projectorAfter.token).toBeGreaterThan(projector.lease.token);
      expect(outboundAfter.token).toBeGreaterThan(outbound.lease.token);

      const head = await caughtUp(apiB);
      expect(head).toBe(String(await events.headPosition()));
      for (const api of [apiA, apiB]) {
        const t = api === apiA ? token : tokenB;
        const stock = await call(api.url, 'GET', `/api/stock?locationId=store-a&sku=SKU-1&minPosition=${head}`, t);
        expect((stock.body.items as Array<{ onHand: number }>)[0]?.onHand).toBe(-40);
      }

      // Every stock.changed notification reaches the receiver; an attempt in flight at the kill
      // may arrive again, under the same id, so the receiver counts each exactly once.
      const expected = (await readStore.find<OutboxDoc>(OUTBOX.notifications)).filter((d) => d.kind === 'stock.changed').map((d) => d._id);
      expect(expected.length).toBeGreaterThanOrEqual(40);
      await until('every webhook delivered', async () => (expected.every((id) => received.has(id)) ? true : undefined), 60_000);
      expect([...received.keys()].sort()).toEqual([...expected].sort());
      // Only the attempts in flight at the kill (the sender's concurrency, 4) may be sent twice.
      const repeats = [...received.values()].filter((n) => n > 1).length;
      expect(repeats).toBeLessThanOrEqual(4);
    } finally {
      await Promise.all([leases.close(), readStore.close(), events.close()]);
    }

    for (const p of [projector1, projector2, outbound1, outbound2, apiA, apiB]) {
      if (p.process.exitCode === null && p.process.signalCode === null) p.process.kill('SIGTERM');
    }
    const rebuild = await runScript('scripts/rebuild.ts', { IMS_DATA_DIR: newDataDir(), DATABASE_URL: databaseUrl }, 90_000);
    expect(rebuild.code, rebuild.output).toBe(0);
    expect(rebuild.output).toContain('identical');
  }, 300_000);

  it('given two api processes on one database, when a sale goes through A, then an SSE stream of B shows it', async () => {
    const schema = newSchema();
    const env = { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD, IMS_LEASE_TTL_MS: String(TTL_MS), DATABASE_URL: `${testDatabaseUrl}?schema=${schema}` };
    const apiA = await startChildServer(newDataDir(), { ...env, IMS_ROLES: 'api' }, START_MS);
    const [apiB] = await Promise.all([
      startChildServer(newDataDir(), { ...env, IMS_ROLES: 'api' }, START_MS),
      startChildRoles(newDataDir(), { ...env, IMS_ROLES: 'projector' }, START_MS),
    ]);
    const token = await setUpChain(apiA);
    const tokenB = await login(apiB);
    const sse = await openSse(`${apiB.url}/api/stream?locationId=store-a`, { authorization: `Bearer ${tokenB}` });
    try {
      expect(sse.status).toBe(200);
      expect((await sell(apiA, 1)).status).toBe(200);
      const frame = await sse.waitFor((e) => e.event === 'stock' && e.data.sku === 'SKU-1' && e.data.onHand === -1, 30_000);
      expect(frame.data).toMatchObject({ locationId: 'store-a', onHand: -1 });
      expect(token).not.toBe(tokenB);
    } finally {
      sse.close();
    }
  }, 240_000);
});
