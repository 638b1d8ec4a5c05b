import { firstValueFrom, toArray, take, type Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import type { EventStore, ReadAllOptions, RecordedEvent } from '../../write-side/eventstore/port';
import { MemoryReadStore } from '../readstore/memory-read-store';
import type { DocWrite, ReadStore } from '../readstore/port';
import { SqliteReadStore } from '../readstore/sqlite-read-store';
import type { ReadModelChange } from './projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import { countingProjection, expectedCounts, type CountDoc } from './testing/counting-projection';
import { stockEvent, writeStockEvents } from './testing/stock-events';

const plan = (count: number) => ({ count, locations: 3, skus: 5 });
const events = (count: number) => Array.from({ length: count }, (_, i) => stockEvent(i, plan(count)).event);

/** Records every commit (projection, number of writes, position) on the way to the real store. */
function recording(store: ReadStore): { store: ReadStore; commits: Array<{ projection: string; writes: number; position: bigint }> } {
  const commits: Array<{ projection: string; writes: number; position: bigint }> = [];
  const wrapped: ReadStore = Object.create(store) as ReadStore;
  Object.assign(wrapped, {
    commit: async (projection: string, writes: readonly DocWrite[], position: bigint) => {
      await store.commit(projection, writes, position);
      commits.push({ projection, writes: writes.length, position });
    },
  });
  return { store: wrapped, commits };
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

  it('given a position beyond the log, when waiting, then it answers false after the timeout', async () => {
    const { eventStore, readStore } = await setup(2);
    const r = runner({ eventStore, readStore, projections: [countingProjection()] });
    await r.start();
    expect(await r.waitForPosition(2n)).toBe(true);
    expect(await r.waitForPosition(3n, 30)).toBe(false);
  });
});
