/**
 * Child process of the rebuild bench: writes `count` synthetic stock events into the SQLite
 * event store at `path` and prints the milliseconds it took. Apart, so that the bench process's
 * peak RSS is the rebuild's, not the log writer's.
 * `node --import tsx bench/projections/write-log.ts <path> <count>`.
 */
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import { writeStockEvents } from '../../projections/runner/testing/stock-events';

const [path, count] = process.argv.slice(2);
if (!path || !count) throw new Error('usage: write-log.ts <path> <count>');
const store = new SqliteEventStore({ path });
const started = performance.now();
await writeStockEvents(store, { count: Number(count), locations: 20, skus: 500 }, 5000, 4);
const ms = performance.now() - started;
await store.close();
console.log(JSON.stringify({ ms, peakRssMib: Math.round(process.resourceUsage().maxRSS / 1024) }));
