/**
 * Profiling aid (not a benchmark row): the live runner's first start on an empty read store
 * over the log `profile-rebuild.ts` wrote (`PROFILE_EVENTS`, `PROFILE_DIR`), timed until it
 * reaches the head, with the event loop's longest stall meanwhile (what a `/health` call or a
 * lease renewal in the same thread would wait). `CATCH_UP_CHUNK_EVENTS` / `CATCH_UP_PAGE_SIZE`
 * override the bulk catch-up's defaults.
 * `npx tsx bench/projections/catch-up-stalls.ts`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { projections } from '../../projections/models/index';
import { ProjectionRunner } from '../../projections/runner/projection-runner';

const n = Number(process.env.PROFILE_EVENTS ?? 50_000);
const dir = process.env.PROFILE_DIR ?? '/tmp/stocktide-profile';
const store = new SqliteEventStore({ path: join(dir, `events-${n}.sqlite`) });
const head = await store.headPosition();
if (head === 0n) throw new Error(`no log in ${dir}: run profile-rebuild.ts with PROFILE_EVENTS=${n} first`);
for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `catch-up.sqlite${suffix}`), { force: true });
const readStore = new SqliteReadStore({ path: join(dir, 'catch-up.sqlite') });
const option = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const chunkEvents = option('CATCH_UP_CHUNK_EVENTS');
const pageSize = option('CATCH_UP_PAGE_SIZE');
const runner = new ProjectionRunner({
  eventStore: store, readStore, projections,
  bulkCatchUp: { ...(chunkEvents && { chunkEvents }), ...(pageSize && { pageSize }) },
});
const stalls = monitorEventLoopDelay({ resolution: 10 });
stalls.enable();
const started = performance.now();
await runner.start();
const reached = await runner.waitForPosition(head, 3_600_000);
await runner.stop(); // waits for the bulk catch-up's end, the deferred index builds included
const seconds = (performance.now() - started) / 1000;
stalls.disable();
await readStore.close();
await store.close();
if (!reached) throw new Error(`catch-up did not reach ${head}`);
console.log(`${head} events caught up in ${seconds.toFixed(1)} s: ${Math.round(Number(head) / seconds)} events/s;`,
  `event loop stalls: p99 ${Math.round(stalls.percentile(99) / 1e6)} ms, longest ${Math.round(stalls.max / 1e6)} ms;`,
  `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
