/**
 * Where a rebuild's time goes, phase by phase (reading the log, projecting per projection,
 * writing out, indexes, final sync), over the log that profile-rebuild.ts keeps in
 * `PROFILE_DIR`: `PROFILE_EVENTS=200000 npx tsx bench/projections/rebuild-phases.ts`.
 * Mirrors `projectFromZero` with one chunk; a diagnostic, not a benchmark row.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { projections } from '../../projections/models/index';
import { REBUILD_PAGE_SIZE } from '../../projections/runner/rebuild';
import { RebuildUnitOfWork } from '../../projections/runner/unit-of-work';
import { writeStockEvents } from '../../projections/runner/testing/stock-events';

const n = Number(process.env.PROFILE_EVENTS ?? 50_000);
const dir = process.env.PROFILE_DIR ?? '/tmp/stocktide-profile';
mkdirSync(dir, { recursive: true });
const logPath = join(dir, `events-${n}.sqlite`);
const store = new SqliteEventStore({ path: logPath });
if (!existsSync(logPath) || (await store.headPosition()) === 0n) await writeStockEvents(store, { count: n, locations: 20, skus: 500 }, 5000, 4);
rmSync(join(dir, 'read.sqlite'), { force: true });
const readStore = new SqliteReadStore({ path: join(dir, 'read.sqlite'), bulkLoad: true });
const ms: Record<string, number> = {};
const time = async <T>(phase: string, work: () => Promise<T> | T): Promise<T> => {
  const started = performance.now();
  const result = await work();
  ms[phase] = (ms[phase] ?? 0) + performance.now() - started;
  return result;
};
const uows = new Map<string, RebuildUnitOfWork>();
for (const p of projections) {
  await readStore.reset(p.name, p.collections);
  await readStore.declareIndexes?.(p.indexes); // as projectFromZero: typed columns filled by the load
  uows.set(p.name, new RebuildUnitOfWork(readStore, p.collections));
}
let after = 0n;
for (;;) {
  const page = await time('read log', () => store.readAll({ after, maxCount: REBUILD_PAGE_SIZE }));
  if (page.length === 0) break;
  for (const p of projections) {
    const uow = uows.get(p.name)!;
    await time(`project ${p.name}`, async () => {
      for (const event of page) await p.apply(event, uow);
    });
  }
  after = page.at(-1)!.position;
}
for (const p of projections) {
  const writes = await time(`collect writes ${p.name}`, () => uows.get(p.name)!.flush());
  ms[`(rows ${p.name})`] = writes.length;
  await time('commit', () => readStore.commit(p.name, writes, after));
}
for (const p of projections) await time('indexes', () => readStore.ensureIndexes(p.indexes));
await time('finish bulk load', () => readStore.finishBulkLoad?.());
const total = Object.entries(ms).filter(([k]) => !k.startsWith('(')).reduce((a, [, v]) => a + v, 0);
console.table(Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, k.startsWith('(') ? v : `${Math.round(v)} ms`])));
console.log(`${n} events in ${Math.round(total)} ms: ${Math.round((n / total) * 1000)} events/s; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
await readStore.close();
await store.close();
