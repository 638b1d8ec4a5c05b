/**
 * Rebuild throughput: n synthetic stock events (default 1,000,000; `BENCH_EVENTS`) in a temp
 * SQLite event store, projected from position zero into a temp SQLite read store by the real
 * read models. Baseline: simply reading the same log in pages (`readAll`) in this process,
 * which every rebuild must do anyway; the ratio shows what projecting costs on top.
 *
 * Run alone: `npx tsx bench/projections/rebuild.bench.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import { projections } from '../../projections/models/index';
import type { Projection } from '../../projections/runner/projection';
import { projectFromZero } from '../../projections/runner/rebuild';
import { ProjectionRunner } from '../../projections/runner/projection-runner';
import { countingProjection } from '../../projections/runner/testing/counting-projection';
import type { BenchRow } from '../bench-row';

const PAGE = 5000; // reading the log only: the rebuild uses its own default page size
const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

async function readLog(store: SqliteEventStore): Promise<number> {
  let after = 0n;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    if (page.length === 0) return count;
    count += page.length;
    after = page.at(-1)!.position;
  }
}

async function rebuild(dir: string, name: string, store: SqliteEventStore, list: readonly Projection[], head: bigint): Promise<number> {
  const fresh = new SqliteReadStore({ path: join(dir, `read-${name}.sqlite`), bulkLoad: true });
  const started = performance.now();
  const events = await projectFromZero(store, fresh, list, new Map(list.map((p) => [p.name, head])));
  const ms = performance.now() - started;
  await fresh.close();
  if (events !== Number(head)) throw new Error(`rebuild ${name} projected ${events} of ${head} events`);
  return ms;
}

/**
 * A first start of the live runner on an empty read store (not a bulk-load store: the one the
 * server opens), timed until every projection has committed the head and the bulk catch-up has
 * ended (`stop` waits for it): the indexes it deferred are built by then, and counted.
 */
async function catchUp(dir: string, store: SqliteEventStore, list: readonly Projection[], head: bigint): Promise<number> {
  const readStore = new SqliteReadStore({ path: join(dir, 'read-catch-up.sqlite') });
  const runner = new ProjectionRunner({ eventStore: store, readStore, projections: list });
  const started = performance.now();
  await runner.start();
  const reached = await runner.waitForPosition(head, 3_600_000);
  await runner.stop();
  const ms = performance.now() - started;
  await readStore.close();
  if (!reached) throw new Error(`catch-up did not reach ${head}`);
  return ms;
}

const peakRssMib = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Writes the log in a child process (write-log.ts), so this process's peak RSS is the rebuilds'. */
async function writeLog(path: string, n: number): Promise<{ ms: number; peakRssMib: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'write-log.ts'), path, String(n)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('exit', resolve));
  if (code !== 0) throw new Error(`writing the log failed (exit ${code})`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; peakRssMib: number };
}

export async function benchRebuild(n = Number(process.env.BENCH_EVENTS ?? 1_000_000)): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'stocktide-bench-rebuild-'));
  try {
    const written = await writeLog(join(dir, 'events.sqlite'), n);
    const writeMs = written.ms;
    const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    const head = await store.headPosition();

    const readStarted = performance.now();
    const read = await readLog(store);
    const readMs = performance.now() - readStarted;
    if (read !== n) throw new Error(`read ${read} of ${n} events`);

    const countingMs = await rebuild(dir, 'counting', store, [countingProjection()], head);
    const modelsMs = await rebuild(dir, 'models', store, projections, head);
    const rssAfterRebuild = peakRssMib();
    const catchUpMs = await catchUp(dir, store, projections, head);
    await store.close();

    const baseline = 'projections: read the log (readAll pages)';
    const readRate = perSecond(n, readMs);
    const row = (name: string, ms: number): BenchRow => {
      const value = perSecond(n, ms);
      return { name, value, unit: 'events/s', baseline, ratio: Math.round((value / readRate) * 1000) / 1000 };
    };
    return [
      { name: `projections: generate ${n} events (batched appends)`, value: perSecond(n, writeMs), unit: 'events/s' },
      { name: baseline, value: readRate, unit: 'events/s' },
      row('projections: rebuild, counting projection', countingMs),
      row(`projections: rebuild, read models (${projections.map((p) => p.name).join('+')})`, modelsMs),
      {
        ...row('projections: live catch-up of an empty read store (bulk fold, then live)', catchUpMs),
        // The target is half the rebuild rate: measured against that rebuild, in this run.
        baseline: `projections: rebuild, read models (${projections.map((p) => p.name).join('+')})`,
        ratio: Math.round((modelsMs / catchUpMs) * 1000) / 1000,
      },
      // maxRSS only grows: the figure after the rebuilds is the peak of reading the log and the two
      // rebuilds (the log is written by a child process).
      { name: 'projections: peak RSS of the process generating the log', value: written.peakRssMib, unit: 'MiB' },
      { name: 'projections: peak RSS after the rebuilds (read models)', value: rssAfterRebuild, unit: 'MiB' },
      // Peak of this process (the log is written by a child): the rebuilds and the catch-up.
      { name: 'projections: peak RSS of the run', value: peakRssMib(), unit: 'MiB' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchRebuild());
}
