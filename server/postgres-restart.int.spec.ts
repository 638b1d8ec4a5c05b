/**
 * PostgreSQL restarted under load (docs/postgres.md, "Faults"). Runs only where the cluster is
 * ours to restart: `.ci/run` creates a cluster of its own for this test and exports
 * `IMS_PG_FAULT_URL` and `IMS_PG_CLUSTER` (`version/name`), so the restart never disturbs the
 * other PostgreSQL suites running at the same time on the main cluster.
 *
 * A POS-like client posts receipts one after another and retries every 503 (as a POS does);
 * PostgreSQL stops for a while and starts again. Then: the requests during the outage were
 * answered 503 problem+json with Retry-After, every receipt is in the log exactly once, the
 * read model counts each once (the projectors resumed by themselves), an SSE stream opened
 * before the outage shows the final balance, and the webhook subscriber got every notification (by id) and the final balance.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../outbound/testing/harness';
import { dropSchema, freshSchema } from '../storage/testing/postgres-test';
import { buildApp, type BuiltApp } from './app';

const faultUrl = process.env.IMS_PG_FAULT_URL?.trim();
const cluster = process.env.IMS_PG_CLUSTER?.trim();
if (!faultUrl || !cluster) console.info('IMS_PG_FAULT_URL / IMS_PG_CLUSTER not set: PostgreSQL restart test skipped');

const RECEIPTS = 50;
const OUTAGE_MS = 1500;
const ADMIN_PASSWORD = 'restart-admin-password-1';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(Boolean(faultUrl && cluster))('PostgreSQL restarted under load', () => {
  const schema = freshSchema();
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-pg-restart-'));
  let built: BuiltApp | undefined;
  let receiver: Receiver | undefined;
  afterAll(async () => {
    await built?.close();
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
    await dropSchema(schema, faultUrl);
  });

  it('given a POS posting receipts, when PostgreSQL restarts, then 503 + Retry-After meanwhile, no receipt lost or applied twice, projections, SSE and webhooks resume', async () => {
    const [version, name] = cluster!.split('/');
    receiver = await startReceiver();
    const quiet = console.log;
    console.log = () => {};
    try {
      built = await buildApp({
        databaseUrl: `${faultUrl}?schema=${schema}`, dataDir, adminPassword: ADMIN_PASSWORD, demo: false,
        listen: true, port: 0, host: '127.0.0.1', logger: false,
      });
    } finally {
      console.log = quiet;
    }
    const base = built.url;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}`, 'content-type': 'application/json' };
    const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    expect((await post('/api/locations', { id: 'store-r', name: 'Store R', type: 'store' })).status).toBe(201);
    expect((await post('/api/products', { sku: 'SKU-R', name: 'Restart mug', unitCost: 100 })).status).toBe(201);
    const hook = await post('/api/webhooks/subscriptions', { url: `${receiver.url}/hook`, kinds: ['stock.changed'] });
    expect(hook.status, await hook.clone().text()).toBe(201);

    // An SSE stream opened before the outage; its frames are collected as text.
    const stopSse = new AbortController();
    const sse = await fetch(`${base}/api/stream?locationId=store-r`, { headers: { authorization: auth.authorization }, signal: stopSse.signal });
    let frames = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of sse.body as unknown as AsyncIterable<Uint8Array>) frames += decoder.decode(chunk);
    })().catch(() => undefined);

    const unavailable: Array<{ type: string; retryAfter: string | null; status: number }> = [];
    const unexpected: string[] = [];
    let acknowledged = 0;
    const pos = (async () => {
      for (let i = 0; i < RECEIPTS; i += 1) {
        for (;;) {
          const res = await post('/api/stock/receipts', { receiptId: `restart-${i}`, locationId: 'store-r', lines: [{ sku: 'SKU-R', quantity: 1 }] });
          if (res.status === 201) {
            acknowledged += 1;
            break;
          }
          if (res.status === 503) {
            unavailable.push({ type: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after'), status: res.status });
            await pause(100); // a POS waits Retry-After; the test keeps it short
            continue;
          }
          unexpected.push(`${res.status} ${await res.text()}`);
          await pause(100);
        }
        await pause(30);
      }
    })();

    while (acknowledged < 10) await pause(20);
    execFileSync('pg_ctlcluster', [version!, name!, 'stop', '-m', 'fast'], { stdio: 'ignore' });
    await pause(OUTAGE_MS);
    execFileSync('pg_ctlcluster', [version!, name!, 'start'], { stdio: 'ignore' });
    await pos;

    expect(unexpected).toEqual([]);
    expect(acknowledged).toBe(RECEIPTS);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const u of unavailable) {
      expect(u.type).toMatch(/application\/problem\+json/);
      expect(Number(u.retryAfter)).toBeGreaterThan(0);
    }

    // Every receipt is in the log exactly once.
    const events = await built.services.eventStore.readAll({ after: 0n, maxCount: 10_000 });
    const receipts = events.filter((e) => e.type === 'StockReceived');
    expect(receipts).toHaveLength(RECEIPTS);
    const head = await built.services.eventStore.headPosition();

    // The projections resumed by themselves (within their backoff) and counted each receipt once.
    let stock = await fetch(`${base}/api/stock?locationId=store-r&sku=SKU-R&minPosition=${head}`, { headers: { authorization: auth.authorization } });
    for (let tries = 0; stock.status === 504 && tries < 5; tries += 1) {
      stock = await fetch(`${base}/api/stock?locationId=store-r&sku=SKU-R&minPosition=${head}`, { headers: { authorization: auth.authorization } });
    }
    expect(stock.status).toBe(200);
    expect(((await stock.json()) as { items: Array<{ onHand: number }> }).items[0]?.onHand).toBe(RECEIPTS);

    // SSE: the stream opened before the outage carries the final balance.
    const deadline = Date.now() + 10_000;
    while (!frames.includes(`"onHand":${RECEIPTS}`) && Date.now() < deadline) await pause(50);
    expect(frames).toContain(`"onHand":${RECEIPTS}`);

    // Webhooks: the sender resumed; the subscriber sees the final balance, each notification once.
    while (Date.now() < deadline + 10_000) {
      if (receiver.requests.some((r) => JSON.stringify(r.json).includes(`"onHand":${RECEIPTS}`))) break;
      await pause(100);
    }
    const ids = receiver.requests.map((r) => (r.json as { id: string }).id);
    expect(receiver.requests.some((r) => JSON.stringify(r.json).includes(`"onHand":${RECEIPTS}`))).toBe(true);
    // At least once, each notification id among them: an attempt whose outcome could not be
    // recorded during the outage is sent again, and receivers dedupe by id (CONTRACT.md).
    expect(new Set(ids).size).toBe(RECEIPTS);
    stopSse.abort();
    await reading;
  }, 90_000);
});

