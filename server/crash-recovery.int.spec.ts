/**
 * Crash recovery of the real process: a burst of concurrent receipts and signed POS sales,
 * SIGKILL right after acknowledgements arrive, restart on the same data dir. Every
 * acknowledged event survives; re-sending the whole burst (acknowledged or not) stores each
 * effect exactly once; the read models equal a fresh rebuild (`npm run rebuild`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genericSignature } from './testing/full-app';
import { killAllChildren, runScript, startChildServer, type ChildServer } from './testing/child-server';

const ADMIN_PASSWORD = 'crash-admin-password-1';
const SECRET = 'till-secret-crash-1';
const RECEIPTS = 40;
const SALES = 20;
const KILL_AFTER_ACKS = 15;

let dataDir = '';
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stocktide-crash-'));
});
afterAll(async () => {
  await killAllChildren();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer { status: number; body: Record<string, unknown> }
async function call(server: ChildServer, method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(raw !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(raw !== undefined && { body: raw }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** One unit in (a receipt with a fixed id) or out (a POS sale with a fixed event id): both idempotent on their id. */
type Request = { kind: 'receipt' | 'sale'; id: string; send(server: ChildServer, token: string): Promise<Answer> };
const burst: Request[] = [
  ...Array.from({ length: RECEIPTS }, (_, i): Request => ({
    kind: 'receipt', id: `GRN-${i}`,
    send: (s, token) => call(s, 'POST', '/api/stock/receipts', token, { locationId: 'store-a', receiptId: `GRN-${i}`, lines: [{ sku: 'SKU-1', quantity: 1 }] }),
  })),
  ...Array.from({ length: SALES }, (_, i): Request => ({
    kind: 'sale', id: `ticket-${i}`,
    send: (s) => {
      const raw = JSON.stringify({ eventId: `ticket-${i}`, type: 'sale', locationId: 'pos-a', occurredAt: '2025-03-01T10:00:00.000Z', lines: [{ sku: 'SKU-1', quantity: 1 }] });
      return call(s, 'POST', '/pos/till-a/webhook', undefined, raw, { 'x-ims-signature': genericSignature(SECRET, raw) });
    },
  })),
].sort((a, b) => a.id.localeCompare(b.id)); // receipts and sales interleaved in flight

describe('crash recovery of the real process', () => {
  // Two real starts (each loads the api and two role workers) and a rebuild: bounded, but longer
  // than the default 30 s on a loaded machine.
  it('given a burst killed mid-flight, when the server restarts, then nothing acknowledged is lost, nothing is doubled, and a rebuild matches', { timeout: 90_000 }, async () => {
    const env = { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD };
    let server = await startChildServer(dataDir, env);
    const login = await call(server, 'POST', '/api/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    const token = String(login.body.token);
    for (const [path, body] of [
      ['/api/locations', { id: 'store-a', name: 'Store A', type: 'store' }],
      ['/api/products', { sku: 'SKU-1', name: 'Mug' }],
      ['/api/pos/connections', { id: 'till-a', kind: 'generic', secret: SECRET, locationMap: { 'pos-a': 'store-a' } }],
    ] as const) {
      expect((await call(server, 'POST', path, token, body)).status, path).toBe(201);
    }

    // The burst: all in flight at once; SIGKILL as soon as enough acknowledgements are in.
    const acked = new Map<string, string>(); // request id -> acknowledged position
    const victim = server;
    const outcomes = await Promise.allSettled(burst.map(async (r) => {
      const answer = await r.send(victim, token);
      if (answer.status === 200 || answer.status === 201) {
        acked.set(r.id, String(answer.body.position));
        if (acked.size === KILL_AFTER_ACKS) victim.process.kill('SIGKILL');
      }
      return answer;
    }));
    expect(await victim.exited).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    const refusedOutright = outcomes.filter((o) => o.status === 'fulfilled' && o.value.status !== 200 && o.value.status !== 201);
    expect(refusedOutright).toEqual([]);

    // Restart on the same data dir: the session token is in the identity store and still valid.
    server = await startChildServer(dataDir, env);
    const events = (await call(server, 'GET', '/api/events?limit=1000', token)).body.events as Array<{ position: string; type: string; data: Record<string, unknown> }>;
    const idOf = (e: { type: string; data: Record<string, unknown> }): string | undefined =>
      e.type === 'StockReceived' ? String(e.data.receiptId) : e.type === 'StockSold' ? String(e.data.saleId ?? e.data.posEventId ?? '') : undefined;
    const byPosition = new Map(events.map((e) => [e.position, e]));
    for (const [id, position] of acked) {
      const event = byPosition.get(position);
      expect(event, `acknowledged ${id} at ${position}`).toBeDefined();
      expect(event!.type).toBe(id.startsWith('GRN') ? 'StockReceived' : 'StockSold');
      if (id.startsWith('GRN')) expect(idOf(event!)).toBe(id);
    }
    const head = events.at(-1)!.position;
    const stockNow = async (minPosition: string) => {
      const res = await call(server, 'GET', `/api/stock?locationId=store-a&sku=SKU-1&minPosition=${minPosition}`, token);
      expect(res.status).toBe(200);
      return ((res.body.items as Array<{ onHand: number }>)[0]?.onHand) ?? 0;
    };
    // What the log holds is exactly what the read model shows: acknowledged units plus any
    // unacknowledged request that happened to be stored before the kill, each once.
    const receiptsStored = events.filter((e) => e.type === 'StockReceived').length;
    const salesStored = events.filter((e) => e.type === 'StockSold').length;
    const ackedReceipts = [...acked.keys()].filter((id) => id.startsWith('GRN')).length;
    expect(receiptsStored).toBeGreaterThanOrEqual(ackedReceipts);
    expect(salesStored).toBeGreaterThanOrEqual(acked.size - ackedReceipts);
    expect(await stockNow(head)).toBe(receiptsStored - salesStored);

    // Clients re-send what they did not see acknowledged (and, to be sure, everything): each effect lands once.
    const resent = await Promise.all(burst.map((r) => r.send(server, token)));
    for (const [i, answer] of resent.entries()) {
      expect([200, 201], `${burst[i]!.id}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
      if (acked.has(burst[i]!.id)) expect(answer.body).toMatchObject({ duplicate: true, position: acked.get(burst[i]!.id) });
    }
    const last = resent.map((a) => BigInt(String(a.body.position))).reduce((a, b) => (b > a ? b : a)).toString();
    expect(await stockNow(last)).toBe(RECEIPTS - SALES);
    const after = (await call(server, 'GET', '/api/events?limit=1000', token)).body.events as Array<{ type: string }>;
    expect(after.filter((e) => e.type === 'StockReceived')).toHaveLength(RECEIPTS);
    expect(after.filter((e) => e.type === 'StockSold')).toHaveLength(SALES);

    // Stop cleanly once the read models hold everything, then compare them with a fresh rebuild.
    const finalHead = String((await call(server, 'GET', '/health', undefined)).body.headPosition);
    await stockNow(finalHead);
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const rebuild = await runScript('scripts/rebuild.ts', { IMS_DATA_DIR: dataDir });
    expect(rebuild.code, rebuild.output).toBe(0);
    expect(rebuild.output).toContain('identical');
  });
});
