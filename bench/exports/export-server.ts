/**
 * The export routes alone, as a child process of the exports benchmark, so the benchmark reads
 * this process's memory and not its own: opens the embedded read store at argv[2], listens on
 * 127.0.0.1 (free port), prints `listening <url>`, and sends its RSS to the parent every 50 ms.
 */
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { exportRoutes } from '../../read-api/exports/export-routes';
import { createTestApp } from '../../server/testing/test-app';
import type { EventStore } from '../../write-side/eventstore/port';

const path = process.argv[2];
const position = BigInt(process.argv[3] ?? '0');
if (!path) throw new Error('usage: export-server.ts <read.sqlite> <position>');

const store = new SqliteReadStore({ path });
const app = createTestApp();
await exportRoutes(app, {
  readStore: store, currency: 'USD', currentPosition: () => position, waitForPosition: async () => true,
  eventStore: { headPosition: async () => 0n, readAll: async () => [] } as unknown as EventStore,
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
const report = setInterval(() => process.send?.({ rss: process.memoryUsage().rss }), 50);
process.on('disconnect', () => {
  clearInterval(report);
  void app.close().then(() => store.close()).then(() => process.exit(0));
});
console.log(`listening ${url}`);
