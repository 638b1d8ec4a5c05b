/**
 * Prepares a data dir for trying `npm run rebuild` on a long log: `n` synthetic stock events
 * (`BENCH_EVENTS`, default 1,000,000) in `${IMS_DATA_DIR}/events.sqlite`, projected live by the
 * real projection runner into `${IMS_DATA_DIR}/read.sqlite` (timed: that is a cold start).
 * `IMS_DATA_DIR=/tmp/rebuild-data npx tsx bench/projections/make-rebuild-data.ts`.
 */
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { projections } from '../../projections/models/index';
import { ProjectionRunner } from '../../projections/runner/projection-runner';
import { writeStockEvents } from '../../projections/runner/testing/stock-events';

const n = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const dataDir = resolve(process.env.IMS_DATA_DIR ?? '/tmp/rebuild-data');
const eventStore = new SqliteEventStore({ path: join(dataDir, 'events.sqlite') });
if ((await eventStore.headPosition()) === 0n) await writeStockEvents(eventStore, { count: n, locations: 20, skus: 500 }, 5000, 4);
const head = await eventStore.headPosition();
const readStore = new SqliteReadStore({ path: join(dataDir, 'read.sqlite') });
const runner = new ProjectionRunner({ eventStore, readStore, projections });
const started = performance.now();
await runner.start();
await runner.waitForPosition(head, 24 * 3_600_000);
const seconds = (performance.now() - started) / 1000;
console.log(`live projection of ${head} events (cold start): ${seconds.toFixed(1)} s, ${Math.round(Number(head) / seconds)} events/s`);
await runner.stop();
await readStore.close();
await eventStore.close();
