/**
 * Two complete instances on one PostgreSQL database (before roles: each runs the API and the
 * projectors). Sales and receipts go through both at once; the log holds each exactly once,
 * both instances read the same balances, the shared read models equal a rebuild from the log
 * (two projectors committing one projection never apply a batch twice: the checkpoint guard
 * refuses the second), and the change feed of the database (`watchChanges`) shows a sale made
 * through instance A to a reader that is not instance A: the base for SSE on every instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { watchChanges } from '../projections/readstore/postgres-changes';
import { PostgresReadStore } from '../projections/readstore/postgres-read-store';
import { rebuildAndCompare } from '../projections/runner/rebuild';
import { dropSchema, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../storage/testing/postgres-test';
import { buildApp, type BuiltApp } from './app';
import { liveProjections } from './live-projections';

reportPostgresSkip('two instances on one database');

const PASSWORD = 'two-instances-admin-password';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(Boolean(testDatabaseUrl))('two instances on one PostgreSQL database', () => {
  const schema = freshSchema();
  const dirs: string[] = [];
  const apps: BuiltApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    await dropSchema(schema);
  });

  const start = async (): Promise<{ app: BuiltApp; call: (method: 'GET' | 'POST', url: string, body?: unknown) => Promise<{ status: number; body: any }> }> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stocktide-two-'));
    dirs.push(dataDir);
    const quiet = console.log;
    console.log = () => {};
    let app: BuiltApp;
    try {
      app = await buildApp({ databaseUrl: `${testDatabaseUrl}?schema=${schema}`, dataDir, adminPassword: PASSWORD, demo: false, logger: false });
    } finally {
      console.log = quiet;
    }
    apps.push(app);
    const login = await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
    const authorization = `Bearer ${(login.json() as { token: string }).token}`;
    return {
      app,
      call: async (method, url, body) => {
        const res = await app.app.inject({ method, url, headers: { authorization }, ...(body !== undefined && { payload: body as object }) });
        return { status: res.statusCode, body: res.body ? res.json() : undefined };
      },
    };
  };

  it('given instances A and B, when both take receipts and sales at once, then each is stored once, both read the same balance, and the models equal a rebuild', async () => {
    const a = await start();
    const b = await start(); // the admin exists already: B reuses it (one identity store)
    expect((await a.call('POST', '/api/locations', { id: 'store-x', name: 'Store X', type: 'store' })).status).toBe(201);
    expect((await b.call('POST', '/api/products', { sku: 'SKU-X', name: 'Shared mug' })).status).toBe(201);

    const readers = await PostgresReadStore.open({ url: testDatabaseUrl!, schema });
    const feedStart = await b.app.services.eventStore.headPosition();
    const seenByOthers = firstValueFrom(watchChanges(readers, feedStart, { pollMs: 200 }).pipe(
      filter((c) => JSON.stringify(c).includes('"onHand":3')), timeout(20_000)));

    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).call('POST', '/api/stock/receipts',
        { receiptId: `two-r-${i}`, locationId: 'store-x', lines: [{ sku: 'SKU-X', quantity: 1 }] })),
      // and each receipt again through the other instance: answered as the same receipt
      ...Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? b : a).call('POST', '/api/stock/receipts',
        { receiptId: `two-r-${i}`, locationId: 'store-x', lines: [{ sku: 'SKU-X', quantity: 1 }] })),
    ]);
    for (const r of results) expect([200, 201, 409], JSON.stringify(r.body)).toContain(r.status);
    // A 409 (concurrency) is retried as a client would.
    for (let i = 0; i < 10; i += 1) {
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const r = await a.call('POST', '/api/stock/receipts', { receiptId: `two-r-${i}`, locationId: 'store-x', lines: [{ sku: 'SKU-X', quantity: 1 }] });
        if (r.status === 201 || r.status === 200) break;
        await pause(20);
      }
    }
    const sale = await a.call('POST', '/api/stock/sales', { saleId: 'two-s-1', locationId: 'store-x', lines: [{ sku: 'SKU-X', quantity: 7 }] });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);

    const log = await a.app.services.eventStore.readAll({ after: 0n, maxCount: 10_000 });
    expect(log.filter((e) => e.type === 'StockReceived')).toHaveLength(10);
    expect(log.filter((e) => e.type === 'StockSold')).toHaveLength(1);
    const head = log.at(-1)!.position.toString();
    for (const instance of [a, b]) {
      // Before roles both instances project: the one whose commit lost the race re-reads its
      // checkpoint after the runner's backoff, so its read-your-writes may need a few waits.
      let stock = await instance.call('GET', `/api/stock?locationId=store-x&sku=SKU-X&minPosition=${head}`);
      for (let tries = 0; stock.status === 504 && tries < 6; tries += 1) {
        stock = await instance.call('GET', `/api/stock?locationId=store-x&sku=SKU-X&minPosition=${head}`);
      }
      expect(stock.status).toBe(200);
      expect(stock.body.items[0].onHand).toBe(3);
    }
    // The sale made through A reaches a reader of the database's change feed (not A's memory).
    expect(JSON.stringify(await seenByOthers)).toContain('"onHand":3');

    for (const app of apps.splice(0)) await app.close();
    const fresh = await PostgresReadStore.open({ url: testDatabaseUrl!, schema: `${schema}_fresh` });
    const eventStore = (await import('../write-side/eventstore/postgres-event-store')).PostgresEventStore;
    const events = await eventStore.open({ url: testDatabaseUrl!, schema });
    try {
      const report = await rebuildAndCompare({ eventStore: events, live: readers, fresh, projections: liveProjections });
      expect(report.differences).toEqual([]);
    } finally {
      await events.close();
      await fresh.close();
      await readers.close();
      await dropSchema(`${schema}_fresh`);
    }
  }, 60_000);
});
