/**
 * Profiling aid (not a benchmark row): writes `PROFILE_EVENTS` synthetic events once into
 * `PROFILE_DIR` (reused across runs), then rebuilds the real read models from zero.
 * `node --cpu-prof --import tsx bench/projections/profile-rebuild.ts` (`PROFILE_CHUNK_EVENTS` sets the
 * rebuild's chunk). Also prints the CPU time and the peak RSS:
 * run it twice for a clean figure (the first run also writes the log).
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
const cpuBefore = process.cpuUsage();
const chunk = process.env.PROFILE_CHUNK_EVENTS ? Number(process.env.PROFILE_CHUNK_EVENTS) : undefined;
const events = await projectFromZero(store, readStore, projections, new Map(projections.map((p) => [p.name, head])), undefined, chunk);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
// Peak RSS of the whole process (the log is written by an earlier run, so this is the rebuild).
console.log(`${events} events in ${Math.round(ms)} ms: ${Math.round((events / ms) * 1000)} events/s`,
  `(CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms, the figure that holds under load);`,
  `rss ${mib(process.memoryUsage().rss)} MiB, peak ${mib(process.resourceUsage().maxRSS * 1024)} MiB${fresh ? ' (includes writing the log)' : ''}`);
await readStore.close();
await store.close();
