/**
 * Profiling aid (not a benchmark row): writes `PROFILE_EVENTS` synthetic events once into
 * `PROFILE_DIR` (reused across runs), then rebuilds the real read models from zero.
 * `node --cpu-prof --import tsx bench/projections/profile-rebuild.ts`.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { projections } from '../../projections/models/index';
import { projectFromZero } from '../../projections/runner/rebuild';
import { writeStockEvents } from '../../projections/runner/testing/stock-events';

const n = Number(process.env.PROFILE_EVENTS ?? 50_000);
const dir = process.env.PROFILE_DIR ?? '/tmp/stocktide-profile';
mkdirSync(dir, { recursive: true });
const logPath = join(dir, `events-${n}.sqlite`);
const fresh = !existsSync(logPath);
const store = new SqliteEventStore({ path: logPath });
if (fresh) await writeStockEvents(store, { count: n, locations: 20, skus: 500 }, 5000, 4);
const head = await store.headPosition();
rmSync(join(dir, 'read.sqlite'), { force: true });
const readStore = new SqliteReadStore({ path: join(dir, 'read.sqlite'), bulkLoad: true });
const started = performance.now();
const events = await projectFromZero(store, readStore, projections, new Map(projections.map((p) => [p.name, head])));
const ms = performance.now() - started;
console.log(`${events} events in ${Math.round(ms)} ms: ${Math.round((events / ms) * 1000)} events/s`);
await readStore.close();
await store.close();
