import { firstValueFrom, toArray, take, type Observable } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import type { EventStore, ReadAllOptions, RecordedEvent } from '../../write-side/eventstore/port';
import { MemoryReadStore } from '../readstore/memory-read-store';
import type { DocWrite, Fence, ProjectionBatch, ReadStore } from '../readstore/port';
import { SqliteReadStore } from '../readstore/sqlite-read-store';
import type { ReadModelChange } from './projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import { countingProjection, expectedCounts, type CountDoc } from './testing/counting-projection';
import { stockEvent, writeStockEvents } from './testing/stock-events';

const plan = (count: number) => ({ count, locations: 3, skus: 5 });
const events = (count: number) => Array.from({ length: count }, (_, i) => stockEvent(i, plan(count)).event);

/** Records every commit (projection, number of writes, position) on the way to the real store. */
function recording(store: ReadStore): {
  store: ReadStore; commits: Array<{ projection: string; writes: number; position: bigint }>;
  /** Each `catchingUp(active)` call, with the commits made before it. */
  catchingUp: Array<{ active: boolean; commitsBefore: number }>;
} {
  const commits: Array<{ projection: string; writes: number; position: bigint }> = [];
  const catchingUp: Array<{ active: boolean; commitsBefore: number }> = [];
  const wrapped: ReadStore = Object.create(store) as ReadStore;
  Object.assign(wrapped, {
    commit: async (projection: string, writes: readonly DocWrite[], position: bigint) => {
      await store.commit(projection, writes, position);
      commits.push({ projection, writes: writes.length, position });
    },
    catchingUp: (active: boolean) => { catchingUp.push({ active, commitsBefore: commits.length }); },
  });
  // A group commit (group-commit.ts) of several batches: each batch recorded as a commit.
  if (store.commitAll) {
    Object.assign(wrapped, {
      commitAll: async (batches: readonly ProjectionBatch[], fence?: Fence) => {
        await store.commitAll!(batches, fence);
        for (const b of batches) commits.push({ projection: b.projection, writes: b.writes.length, position: b.position });
      },
    });
  }
  return { store: wrapped, commits, catchingUp };
}

/** An event store that delivers again what was already seen: pages overlap, the subscription starts from zero. */
function replayingFromZero(inner: EventStore): EventStore {
  const wrapped: EventStore = Object.create(inner) as EventStore;
  Object.assign(wrapped, {
    readAll: (options: ReadAllOptions = {}) => {
      const after = options.after ?? 0n;
      return inner.readAll({ maxCount: options.maxCount, after: after > 2n ? after - 2n : 0n });
    },
    subscribe: (): Observable<RecordedEvent> => inner.subscribe(0n),
  });
  return wrapped;
}

async function countsOf(store: ReadStore, prefix = ''): Promise<Map<string, number>> {
  const docs = await store.find<CountDoc>(`${prefix}counts`);
  return new Map(docs.map((d) => [d._id, d.onHand]));
}

const readStores: Array<[string, () => ReadStore]> = [
  ['memory', () => new MemoryReadStore()],
  ['sqlite', () => new SqliteReadStore({ path: ':memory:' })],
];

describe.each(readStores)('ProjectionRunner on the %s read store', (_name, openReadStore) => {
  const toClose: Array<{ close(): Promise<void> }> = [];
  const runners: ProjectionRunner[] = [];
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    for (const c of toClose.splice(0).reverse()) await c.close();
  });

  const setup = async (preloaded: number) => {
    const eventStore = new SqliteEventStore({ path: ':memory:' });
    const readStore = openReadStore();
    toClose.push(eventStore, readStore);
    await writeStockEvents(eventStore, plan(preloaded), 100);
    return { eventStore, readStore };
  };
  const runner = (options: ProjectionRunnerOptions) => {
    const r = new ProjectionRunner({ log: () => {}, ...options });
    runners.push(r);
    return r;
  };

  it('given a log, when started, then it catches up in pages of one commit each and waitForPosition sees the head', async () => {
    const { eventStore, readStore } = await setup(10);
    const rec = recording(readStore);
    const r = runner({ eventStore, readStore: rec.store, projections: [countingProjection()], catchUpPageSize: 4 });
    await r.start();
    expect(await r.waitForPosition(10n)).toBe(true);
    expect(r.position()).toBe(10n);
    expect(rec.commits.map((c) => c.position)).toEqual([4n, 8n, 10n]);
    expect(await countsOf(readStore)).toEqual(expectedCounts(events(10)));
    expect(r.status()).toEqual([{ name: 'counting', state: 'live', checkpoint: 10n }]);
  });

  it('given a live runner, when events arrive, then they are committed in batches of at most maxEvents, in order', async () => {
    const { eventStore, readStore } = await setup(0);
    const rec = recording(readStore);
    const r = runner({ eventStore, readStore: rec.store, projections: [countingProjection()], batch: { maxEvents: 3, maxMs: 20 } });
    await r.start();
    await writeStockEvents(eventStore, plan(7), 7);
    expect(await r.waitForPosition(7n)).toBe(true);
    expect(rec.commits.map((c) => c.position)).toEqual([3n, 6n, 7n]);
    expect(await countsOf(readStore)).toEqual(expectedCounts(events(7)));
  });

  it('given a subscriber to changes$, when a batch is published, then its commit is already durable', async () => {
    const { eventStore, readStore } = await setup(0);
    const r = runner({ eventStore, readStore, projections: [countingProjection()], batch: { maxEvents: 2, maxMs: 10 } });
    await r.start();
    const seen: Array<Promise<[ReadModelChange, bigint]>> = [];
    const changes = firstValueFrom(r.changes$.pipe(take(4), toArray()));
    r.changes$.pipe(take(4)).subscribe((change) => seen.push(readStore.checkpoint('counting').then((cp) => [change, cp])));
    await writeStockEvents(eventStore, plan(4), 4);
    expect((await changes).map((c) => c.position)).toEqual(['1', '2', '3', '4']);
    for (const [change, checkpoint] of await Promise.all(seen)) expect(checkpoint).toBeGreaterThanOrEqual(BigInt(change.position));
  });

  it('given a stopped runner, when more events arrive and a new runner starts, then it resumes without loss or duplicate', async () => {
    const { eventStore, readStore } = await setup(20);
    const first = runner({ eventStore, readStore, projections: [countingProjection()], catchUpPageSize: 6 });
    await first.start();
    expect(await first.waitForPosition(20n)).toBe(true);
    await first.stop();
    expect(first.status()[0]!.state).toBe('stopped');
    await writeStockEvents(eventStore, plan(15), 15); // positions 21..35 repeat the first 15 events' data
    const second = runner({ eventStore, readStore, projections: [countingProjection()], catchUpPageSize: 6 });
    await second.start();
    expect(await second.waitForPosition(35n)).toBe(true);
    expect((await readStore.get('count_totals', 'all'))?.events).toBe(35);
    const expected = expectedCounts([...events(20), ...events(15)]);
    expect(await countsOf(readStore)).toEqual(expected);
  });

  it('given a projector that throws, then only that projection stops at the failing event, and restart resumes it', async () => {
    const { eventStore, readStore } = await setup(12);
    let broken = true;
    const failing = countingProjection({ name: 'failing', failOn: (e) => broken && e.position === 5n });
    const healthy = countingProjection({ name: 'healthy', prefix: 'h_' });
    const r = runner({ eventStore, readStore, projections: [failing, healthy], catchUpPageSize: 4 });
    const failure = firstValueFrom(r.failures$);
    await r.start();
    expect(await failure).toMatchObject({ projection: 'failing', position: 5n, eventType: 'StockReceived' });
    expect(await r.waitForPosition(12n, 100)).toBe(false);
    const status = Object.fromEntries(r.status().map((s) => [s.name, s]));
    expect(status.failing).toMatchObject({ state: 'failed', checkpoint: 4n, failure: { position: 5n } });
    expect(status.healthy).toMatchObject({ checkpoint: 12n });
    expect(r.position()).toBe(4n);
    expect(await readStore.checkpoint('failing')).toBe(4n);
    expect((await readStore.get('count_totals', 'all'))?.events).toBe(4);

    broken = false;
    r.restart('failing');
    expect(await r.waitForPosition(12n)).toBe(true);
    expect(await countsOf(readStore)).toEqual(expectedCounts(events(12)));
    expect((await readStore.get('count_totals', 'all'))?.events).toBe(12);
    const after = r.status().find((s) => s.name === 'failing')!;
    expect(after.failure).toBeUndefined();
    expect(after.state).not.toBe('failed');
    expect(after.checkpoint).toBe(12n);
  });

  it('given existing read models, when the log is delivered again from position zero, then nothing is applied twice', async () => {
    const { eventStore, readStore } = await setup(9);
    const first = runner({ eventStore, readStore, projections: [countingProjection()] });
    await first.start();
    expect(await first.waitForPosition(9n)).toBe(true);
    await first.stop();
    const replay = runner({ eventStore: replayingFromZero(eventStore), readStore, projections: [countingProjection()], catchUpPageSize: 4 });
    await replay.start();
    await writeStockEvents(eventStore, plan(3), 3);
    expect(await replay.waitForPosition(12n)).toBe(true);
    expect((await readStore.get('count_totals', 'all'))?.events).toBe(12);
    expect(await countsOf(readStore)).toEqual(expectedCounts([...events(9), ...events(3)]));
  });

  describe('bulk catch-up (the rebuild\'s fold) on a first start', () => {
    const bulk = { minEvents: 10, pageSize: 7, chunkEvents: 20 };

    it('given a log far ahead of an empty read store, then it is folded in chunks of one commit each, then goes live', async () => {
      const { eventStore, readStore } = await setup(50);
      const rec = recording(readStore);
      const r = runner({ eventStore, readStore: rec.store, projections: [countingProjection()], catchUpPageSize: 4, bulkCatchUp: bulk });
      await r.start();
      expect(await r.waitForPosition(50n)).toBe(true);
      // Pages of 7, a commit once 20 events are folded (after 21, 42) and at the head.
      expect(rec.commits.map((c) => c.position)).toEqual([21n, 42n, 50n]);
      expect(await countsOf(readStore)).toEqual(expectedCounts(events(50)));
      expect((await readStore.get('count_totals', 'all'))?.events).toBe(50);
      await writeStockEvents(eventStore, plan(3), 3);
      expect(await r.waitForPosition(53n)).toBe(true);
      expect((await readStore.get('count_totals', 'all'))?.events).toBe(53);
      expect(r.status()).toEqual([{ name: 'counting', state: 'live', checkpoint: 53n }]);
      expect(r.catchUpProgress()).toBeUndefined();
      // The store was told around the bulk commits only (SQLite: a larger page cache meanwhile).
      expect(rec.catchingUp).toEqual([{ active: true, commitsBefore: 0 }, { active: false, commitsBefore: 3 }]);
    });

    it.runIf(_name === 'sqlite')('given an empty SQLite store, then its indexes are built once the bulk catch-up ends, and serve queries', async () => {
      const { eventStore, readStore } = await setup(50);
      const r = runner({ eventStore, readStore, projections: [countingProjection()], catchUpPageSize: 4, bulkCatchUp: bulk });
      await r.start();
      expect(await r.waitForPosition(50n)).toBe(true);
      await r.stop(); // the bulk catch-up has ended (its last step, the index build, with it)
      const sqlite = readStore as SqliteReadStore;
      expect(sqlite.explain('counts', { where: { locationId: 'L1', sku: 'S1' } }).join(' ')).toMatch(/USING INDEX ix_counts__locationId__sku/);
      expect(await countsOf(readStore)).toEqual(expectedCounts(events(50)));
    });

    it('given events appended while it folds, then each is applied exactly once across the seam to live', async () => {
      const { eventStore, readStore } = await setup(40);
      const r = runner({ eventStore, readStore, projections: [countingProjection(), countingProjection({ name: 'other', prefix: 'o_' })], bulkCatchUp: bulk });
      await r.start();
      // One event per append, each awaited: they land between the fold's pages, after its head and during live.
      for (let i = 0; i < 30; i += 1) await writeStockEvents(eventStore, { ...plan(30), count: 1 }, 1);
      expect(await r.waitForPosition(70n)).toBe(true);
      const all = [...events(40), ...Array.from({ length: 30 }, () => stockEvent(0, { ...plan(30), count: 1 }).event)];
      expect((await readStore.get('count_totals', 'all'))?.events).toBe(70);
      expect((await readStore.get('o_count_totals', 'all'))?.events).toBe(70);
      expect(await countsOf(readStore)).toEqual(expectedCounts(all));
      expect(await countsOf(readStore, 'o_')).toEqual(expectedCounts(all));
    });

    it('given a projection already part-way, then it resumes from its checkpoint (no store read skipped) and equals a paged run', async () => {
      const { eventStore, readStore } = await setup(15);
      const first = runner({ eventStore, readStore, projections: [countingProjection()], bulkCatchUp: false });
      await first.start();
      expect(await first.waitForPosition(15n)).toBe(true);
      await first.stop();
      await writeStockEvents(eventStore, plan(40), 40);
      const second = runner({ eventStore, readStore, projections: [countingProjection()], bulkCatchUp: bulk });
      await second.start();
      expect(await second.waitForPosition(55n)).toBe(true);
      expect((await readStore.get('count_totals', 'all'))?.events).toBe(55);
      expect(await countsOf(readStore)).toEqual(expectedCounts([...events(15), ...events(40)]));
    });

    it('given a projector that throws while folding, then the paged catch-up commits the events before it and reports it', async () => {
      const { eventStore, readStore } = await setup(50);
      const failing = countingProjection({ name: 'failing', failOn: (e) => e.position === 33n });
      const healthy = countingProjection({ name: 'healthy', prefix: 'h_' });
      const logs: string[] = [];
      const r = runner({ eventStore, readStore, projections: [failing, healthy], catchUpPageSize: 4, bulkCatchUp: bulk, log: (m) => logs.push(m) });
      const failure = firstValueFrom(r.failures$);
      await r.start();
      expect(await failure).toMatchObject({ projection: 'failing', position: 33n });
      const status = Object.fromEntries(r.status().map((s) => [s.name, s]));
      expect(status.failing).toMatchObject({ state: 'failed', checkpoint: 32n });
      expect((await readStore.get('count_totals', 'all'))?.events).toBe(32);
      expect(await countsOf(readStore)).toEqual(expectedCounts(events(50).slice(0, 32)));
      expect(await r.waitForPosition(50n, 100)).toBe(false);
      expect(await readStore.checkpoint('healthy')).toBe(50n);
      expect(logs[0]).toBe('projection failing: bulk catch-up stopped at 33; the paged catch-up takes over');
    });

    it('given a catch-up in progress, then catchUpProgress says how far behind, the share done and the rate', async () => {
      const { eventStore, readStore } = await setup(50);
      const seen: Array<ReturnType<ProjectionRunner['catchUpProgress']>> = [];
      const counting = countingProjection();
      const r: ProjectionRunner = runner({
        eventStore, readStore, bulkCatchUp: bulk,
        projections: [{ ...counting, apply: async (event, uow) => { if (event.position === 30n) seen.push(r.catchUpProgress()); await counting.apply(event, uow); } }],
      });
      await r.start();
      expect(await r.waitForPosition(50n)).toBe(true);
      // Event 30 is on the fifth page: four pages (28 events) were read when it was folded.
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ head: 50n, position: 28n, behind: 22n, percent: 56 });
      expect(seen[0]!.eventsPerSecond).toBeGreaterThan(0);
      expect(seen[0]!.etaSeconds).toBeGreaterThanOrEqual(0);
      // Gone once the bulk is done (it looks at the head once more after its last commit).
      await vi.waitFor(() => expect(r.catchUpProgress()).toBeUndefined());
    });
  });

  it('given a position beyond the log, when waiting, then it answers false after the timeout', async () => {
    const { eventStore, readStore } = await setup(2);
    const r = runner({ eventStore, readStore, projections: [countingProjection()] });
    await r.start();
    expect(await r.waitForPosition(2n)).toBe(true);
    expect(await r.waitForPosition(3n, 30)).toBe(false);
  });
});
