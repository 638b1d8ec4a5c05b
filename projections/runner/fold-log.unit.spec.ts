import { describe, expect, it } from 'vitest';
import type { EventStore, RecordedEvent } from '../../write-side/eventstore/port';
import { MemoryReadStore } from '../readstore/memory-read-store';
import type { Doc } from '../readstore/port';
import { foldLane, foldLog, YIELD_EVERY_MS } from './fold-log';
import type { Projection } from './projection';
import { foldApply, type Fold } from './sync-fold';

const log = (n: number): RecordedEvent[] =>
  Array.from({ length: n }, (_, i) => ({ position: BigInt(i + 1), type: 'Tick', data: {} }) as unknown as RecordedEvent);

const eventStore = (events: readonly RecordedEvent[]) => ({
  readAll: async ({ after = 0n, maxCount = 1000 }: { after?: bigint; maxCount?: number } = {}) =>
    events.filter((e) => e.position > after).slice(0, maxCount),
}) as unknown as EventStore;

/** Counts events; each takes `busyMs` of the thread, as a long page does on a loaded machine. */
const slowCounter = (busyMs: number, folded: { n: number }): Projection => {
  const fold: Fold = (_event, uow) => {
    const until = performance.now() + busyMs;
    while (performance.now() < until) { /* the thread is busy folding */ }
    const doc = uow.get<Doc & { n: number }>('ticks', 'all') ?? { _id: 'all', n: 0 };
    uow.put('ticks', { ...doc, n: doc.n + 1 });
    folded.n += 1;
  };
  return { name: 'ticks', collections: ['ticks'], indexes: [], fold, apply: foldApply(fold) };
};

describe('foldLog', () => {
  it('given a page that takes longer than the yield interval to fold, when folded in a process that serves, then timers run before the page is done', async () => {
    const events = log(300);
    const folded = { n: 0 };
    const store = new MemoryReadStore();
    const lane = foldLane(store, slowCounter(1, folded), 0n, 300n, true);
    let foldedWhenTimerRan: number | undefined;
    const timer = setTimeout(() => { foldedWhenTimerRan = folded.n; }, YIELD_EVERY_MS);
    const read = await foldLog({
      eventStore: eventStore(events), store, lanes: [lane], pageSize: 300, chunkEvents: 1000,
      onProjectorError: 'stop', yieldBetweenPages: true,
    });
    clearTimeout(timer);
    expect(read).toBe(300);
    expect(foldedWhenTimerRan).toBeGreaterThan(0);
    expect(foldedWhenTimerRan).toBeLessThan(300); // the timer did not wait for the whole page
    expect(await store.get('ticks', 'all')).toEqual({ _id: 'all', n: 300 });
    expect(await store.checkpoint('ticks')).toBe(300n);
  });

  it('given the rebuild (no yielding), when a page is folded, then it is folded in one go', async () => {
    const folded = { n: 0 };
    const store = new MemoryReadStore();
    const lane = foldLane(store, slowCounter(0.2, folded), 0n, 300n, true);
    let foldedWhenTimerRan: number | undefined;
    const timer = setTimeout(() => { foldedWhenTimerRan = folded.n; }, 1);
    await foldLog({ eventStore: eventStore(log(300)), store, lanes: [lane], pageSize: 300, chunkEvents: 1000, onProjectorError: 'stop' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    clearTimeout(timer);
    expect(foldedWhenTimerRan).toBe(300);
  });
});
