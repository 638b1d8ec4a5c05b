/**
 * Int-test harness: the real command service over an in-memory event store, an in-memory POS
 * store, the POS routes on a test app, a fixed clock, and two registered locations and SKUs.
 */
import type { FastifyInstance } from 'fastify';
import { createStockCommands } from '../../write-side/commands/service';
import type { CommandContext, StockCommands } from '../../write-side/commands/types';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import type { RecordedEvent } from '../../write-side/eventstore/port';
import { createTestApp, principalHeader } from '../../server/testing/test-app';
import { SqliteConnectionStore } from '../connections/sqlite-connection-store';
import { SqliteInboxStore } from '../inbox/sqlite-inbox-store';
import type { IntakeSettings } from '../processing/process-deps';
import { posRoutes } from '../pos-routes';

export const NOW = new Date('2024-06-02T12:00:00.000Z');

export interface Harness {
  readonly app: FastifyInstance;
  readonly commands: StockCommands;
  readonly store: SqliteConnectionStore;
  readonly inbox: SqliteInboxStore;
  readonly events: SqliteEventStore;
  /** POS facts in the log (sales, returns, discrepancies). */
  posEvents(): Promise<RecordedEvent[]>;
  connect(body: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export const admin = principalHeader('admin');

export async function createHarness(options: { fetchImpl?: typeof fetch; intake?: Partial<IntakeSettings>; clock?: () => Date } = {}): Promise<Harness> {
  const events = new SqliteEventStore({ path: ':memory:' });
  const commands = createStockCommands(events);
  const store = new SqliteConnectionStore(':memory:');
  const inbox = new SqliteInboxStore(':memory:');
  const ctx: CommandContext = { actor: { kind: 'system', id: 'test' }, source: 'system', correlationId: 'seed', now: new Date('2024-06-01T00:00:00.000Z') };
  for (const id of ['store-1', 'store-2']) await commands.registerLocation({ id, name: id, type: 'store' }, ctx);
  for (const sku of ['SKU-1', 'SKU-2']) await commands.registerProduct({ sku, name: sku }, ctx);
  await commands.receiveStock({ locationId: 'store-1', lines: [{ sku: 'SKU-1', quantity: 10 }, { sku: 'SKU-2', quantity: 10 }] }, ctx);

  const app = createTestApp();
  await app.register(posRoutes, {
    commands, connections: store, inbox, clock: options.clock ?? (() => NOW),
    ...(options.fetchImpl && { fetchImpl: options.fetchImpl }),
    // A generous upstream timeout unless a test is about timeouts: a loaded test machine is not a slow Square.
    intake: { upstreamTimeoutMs: 5_000, ...options.intake },
  });
  await app.ready();
  return {
    app, commands, store, inbox, events,
    async posEvents() {
      return (await events.readAll()).filter((e) => ['StockSold', 'StockReturned', 'PosDiscrepancyRecorded'].includes(e.type));
    },
    async connect(body) {
      const res = await app.inject({ method: 'POST', url: '/api/pos/connections', headers: admin, payload: body });
      if (res.statusCode !== 201) throw new Error(`connect failed: ${res.statusCode} ${res.body}`);
    },
    async close() {
      await app.close();
      await store.close();
      await inbox.close();
      await events.close();
    },
  };
}
