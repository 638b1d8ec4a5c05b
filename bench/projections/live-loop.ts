/**
 * Diagnostic aid (not a benchmark row): CPU ms per event of the projector's live loop alone, on
 * one thread, with no HTTP and no other thread competing, so a change to the live path shows
 * in figures that hardly move with the machine's load.
 *
 * `make`: starts the app as `npm start` does (its own data dir), sends `count` sale webhooks
 * (closed loop), stops it and keeps its `events.sqlite` as `<dir>/events.sqlite`: a real log.
 * `run`: every live projection (as the projector role runs them: keepChanges, a lease fence,
 * the shared polled log) over a fresh read store, fed that log at `rate` events/s (the log is
 * made visible 5 ms at a time, each step announced as the appender's commits are); the first
 * `warm` events warm up, then CPU ms per event of this thread and of V8's helper threads over the
 * rest, the read-store transactions it took, and the bytes the process wrote per event (WAL
 * frames and their checkpoints into the file). `LOOP_KEEP=1` keeps the read store for a look.
 *   npx tsx bench/projections/live-loop.ts make [count=12000] [dir=/tmp/stocktide-live-loop]
 *   nice -n 10 npx tsx bench/projections/live-loop.ts run [rate=1000] [warm=4000] [dir]
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Subject, interval } from 'rxjs';
import { SqliteReadStore } from '../../projections/readstore/sqlite-read-store';
import type { ReadStore } from '../../projections/readstore/port';
import { ProjectionRunner } from '../../projections/runner/projection-runner';
import { liveProjections } from '../../server/live-projections';
import { openSqlite } from '../../storage/sqlite';
import { LEASES_DDL } from '../../storage/sqlite-leases';
import { pollingSubscriptions } from '../../topology/polled-log';
import type { EventStore, RecordedEvent } from '../../write-side/eventstore/port';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import { startAppUnderTest } from '../app-under-test';
import { runLoad } from '../load/http-load';
import { round2 } from '../stats';
import { saleWebhooks, TILL_LOCATIONS } from '../webhooks/sale-webhooks';
import { cpuByName, threadCpuMs } from '../webhooks/thread-cpu';

const [mode = 'run', a, b, c] = process.argv.slice(2);

async function make(count: number, dir: string): Promise<void> {
  const app = await startAppUnderTest();
  try {
    await app.adminPost('/api/pos/connections', { id: 'loop', kind: 'generic', secret: 'loop-secret', locationMap: TILL_LOCATIONS });
    const { requests } = saleWebhooks({ connectionId: 'loop', secret: 'loop-secret', count, prefix: 'loop', occurredAt: new Date(), duplicateEvery: 0, duplicateLag: 0 });
    const r = await runLoad({ origin: app.origin, requests, plan: { mode: 'closed', concurrency: 32, durationMs: 600_000 }, timeoutMs: 60_000 });
    console.log(`${r.statuses.filter((s) => s === 200).length} of ${count} webhooks answered 200`);
  } finally {
    await app.close((dataDir) => {
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(dataDir, 'events.sqlite'), join(dir, 'events.sqlite'));
    });
  }
  const log = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  console.log(`log of ${await log.headPosition()} events in ${dir}/events.sqlite`);
  await log.close();
}

/** Counts the read store's transactions (`commit`, `commitAll`) on the way to it. */
function counted(store: ReadStore): { store: ReadStore; transactions: () => number } {
  let n = 0;
  const wrapped = Object.create(store) as ReadStore;
  Object.assign(wrapped, {
    commit: (...args: Parameters<ReadStore['commit']>) => { n += 1; return store.commit(...args); },
    ...(store.commitAll && { commitAll: (...args: Parameters<NonNullable<ReadStore['commitAll']>>) => { n += 1; return store.commitAll!(...args); } }),
  });
  return { store: wrapped, transactions: () => n };
}

async function run(rate: number, warm: number, dir: string): Promise<void> {
  const source = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  const positions = (await source.readAll({ after: 0n, maxCount: 10_000_000 })).map((e) => e.position);
  if (positions.length <= warm) throw new Error(`the log in ${dir} holds ${positions.length} events: make a longer one`);
  let shown = 0; // events visible so far
  const visible = () => (shown === 0 ? 0n : positions[shown - 1]!);
  const view: EventStore = {
    kind: source.kind,
    append: () => Promise.reject(new Error('read only')),
    readStream: (...args) => source.readStream(...args),
    // Only what is visible is read and parsed (as from a log that ends there).
    readAll: async (o) => {
      const after = o?.after ?? 0n;
      let seen = 0; // visible events at or before `after`
      for (let lo = 0, hi = shown; lo < hi;) {
        const mid = (lo + hi) >> 1;
        if (positions[mid]! <= after) lo = seen = mid + 1;
        else hi = mid;
      }
      const maxCount = Math.min(o?.maxCount ?? Infinity, shown - seen);
      return maxCount <= 0 ? [] : (await source.readAll({ ...o, after, maxCount })).filter((e: RecordedEvent) => e.position <= visible());
    },
    subscribe: () => { throw new Error('polled'); },
    headPosition: async () => visible(),
    close: () => source.close(),
  };
  const appended = new Subject<void>();
  const eventStore = pollingSubscriptions(view, 10, appended);
  const readDir = mkdtempSync(join(tmpdir(), 'stocktide-live-loop-read-'));
  const path = join(readDir, 'read.sqlite');
  // A lease row to fence with, as the projector role commits (its token read in each transaction).
  const db = openSqlite(path, { synchronous: 'NORMAL' });
  db.exec(LEASES_DDL);
  db.prepare("INSERT INTO leases (name, holder, token, expires_at) VALUES ('projector', 'loop', 1, 9e15)").run();
  db.close();
  const { store: readStore, transactions } = counted(new SqliteReadStore({ path, keepChanges: true }));
  const runner = new ProjectionRunner({
    eventStore, readStore, projections: [...liveProjections], bulkCatchUp: false, fence: () => ({ name: 'projector', token: 1n }),
  });
  await runner.start();
  const feed = (upTo: number) => new Promise<void>((resolve) => {
    const perStep = rate / 200; // a step every 5 ms
    let owed = 0;
    const steps = interval(5).subscribe(() => {
      owed += perStep;
      const n = Math.floor(owed);
      owed -= n;
      shown = Math.min(upTo, shown + n);
      appended.next();
      if (shown >= upTo) {
        steps.unsubscribe();
        resolve();
      }
    });
  });
  const caughtUp = async () => {
    if (!(await runner.waitForPosition(visible(), 600_000))) throw new Error('projector did not catch up');
  };
  try {
    await feed(warm);
    await caughtUp();
    const io = () => Object.fromEntries(readFileSync('/proc/self/io', 'utf8').trim().split('\n').map((l) => l.split(': ')).map(([k, v]) => [k, Number(v)]));
    const io0 = io();
    const cpu0 = threadCpuMs();
    const tx0 = transactions();
    const t0 = performance.now();
    await feed(positions.length);
    await caughtUp();
    const wallMs = performance.now() - t0;
    const cpu = cpuByName(cpu0, threadCpuMs());
    const events = positions.length - warm;
    const failed = runner.status().filter((s) => s.state === 'failed');
    if (failed.length > 0) throw new Error(`failed: ${failed.map((s) => s.name).join(', ')}`);
    console.log(`${events} events at ${rate}/s (${round2(events / (wallMs / 1000))}/s achieved): ms per event: ` +
      `projector thread ${round2((cpu.main ?? 0) / events)}, V8 helpers ${round2((cpu.node ?? 0) / events)}; ` +
      `${transactions() - tx0} read-store transactions (${round2((transactions() - tx0) / (wallMs / 1000))}/s); ` +
      `KiB written per event ${round2((io().wchar! - io0.wchar!) / 1024 / events)}; all threads ${JSON.stringify(Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round2(v / events)])))}`);
  } finally {
    await runner.stop();
    await readStore.close();
    await eventStore.close();
    if (process.env.LOOP_KEEP !== "1") rmSync(readDir, { recursive: true, force: true });
    else console.log(`read store kept in ${readDir}`);
  }
}

const dirArg = (value: string | undefined) => value ?? '/tmp/stocktide-live-loop';
if (mode === 'make') await make(Number(a ?? 12_000), dirArg(b));
else await run(Number(a ?? 1000), Number(b ?? 4000), dirArg(c));
