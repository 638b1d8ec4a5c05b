/**
 * Rebuild and compare: projects the log from position zero into a fresh read store, up to
 * exactly the position each live projection's checkpoint covers, then compares the two
 * stores document by document. The log is read once for all projections.
 *
 * Run it while the live projectors are stopped (or accept that documents committed by them
 * during the comparison show up as differences): a read store offers no snapshot across calls.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EventStore } from '../../write-side/eventstore/port';
import type { Doc, ReadStore } from '../readstore/port';
import { compareStrings } from '../readstore/query-rules';
import { foldLane, foldLog, type FoldLane } from './fold-log';
import type { Projection } from './projection';

export interface Difference {
  readonly projection: string;
  readonly collection: string;
  readonly id: string;
  readonly kind: 'missing_in_live' | 'missing_in_fresh' | 'different';
  readonly live?: Doc;
  readonly fresh?: Doc;
}

export interface RebuildReport {
  /** Events read from the log (each projected by every projection whose checkpoint covers it). */
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Checkpoint of every projection in the live store: what was rebuilt and compared. */
  readonly positions: Readonly<Record<string, string>>;
  /** The first `maxDifferences` differences. */
  readonly differences: readonly Difference[];
  readonly differenceCount: number;
}

export interface RebuildOptions {
  readonly eventStore: EventStore;
  readonly live: ReadStore;
  readonly fresh: ReadStore;
  readonly projections: readonly Projection[];
  readonly pageSize?: number;
  /** Events projected in memory between two writes to `fresh` (default `REBUILD_CHUNK_EVENTS`). */
  readonly chunkEvents?: number;
  readonly maxDifferences?: number;
  /** Called after each page of the log (a progress bar). */
  readonly onProgress?: (progress: RebuildProgress) => void;
}

/** Events read from the log per page during a rebuild (one `readAll` call). */
export const REBUILD_PAGE_SIZE = 20_000;

/**
 * Events projected in memory before the documents are written out. The whole pass of a
 * projection shares one unit of work, so a document touched by thousands of events is
 * serialized and written once per chunk, and the documents a chunk touched stay in memory for
 * the next one (never read back). Chunks bound the memory: what a chunk wrote (a ledger row
 * per line) is held until its commit; a smaller chunk writes the hot documents more often
 * (docs/read-store.md has the figures).
 */
export const REBUILD_CHUNK_EVENTS = 50_000;

/** Where a rebuild is: for progress bars (`npm run rebuild`). */
export interface RebuildProgress {
  /** Events read so far, and the highest position to reach. */
  readonly events: number;
  readonly position: bigint;
  readonly until: bigint;
}

/**
 * Projects the log into `store` from zero, each projection up to its target position, and
 * answers the events read. `store` must hold nothing else for these projections (they are
 * reset first) and have no other writer meanwhile: documents are kept in memory between
 * events and only written out every `chunkEvents` events and at the end (`foldLog`). A projector
 * that throws stops the rebuild with its `ProjectorError`; what the store then holds of the
 * current chunk is undefined (nothing of it, with the adapters we have), so start again.
 */
export async function projectFromZero(
  eventStore: EventStore, store: ReadStore, projections: readonly Projection[], targets: ReadonlyMap<string, bigint>,
  pageSize = REBUILD_PAGE_SIZE, chunkEvents = REBUILD_CHUNK_EVENTS, onProgress?: (progress: RebuildProgress) => void,
): Promise<number> {
  const lanes: FoldLane[] = [];
  for (const projection of projections) {
    await store.reset(projection.name, projection.collections);
    await store.declareIndexes?.(projection.indexes);
    lanes.push(foldLane(store, projection, 0n, targets.get(projection.name) ?? 0n, true));
  }
  const until = lanes.reduce((a, lane) => (lane.target > a ? lane.target : a), 0n);
  const events = await foldLog({
    eventStore, store, lanes, pageSize, chunkEvents, onProjectorError: 'stop', collectAfterChunk: true,
    ...(onProgress && { onPage: ({ position, events: read }) => onProgress({ events: read, position, until }) }),
  });
  // Indexes last, as in any bulk load: projectors read by id only (the primary key), and
  // building each index once is far cheaper than maintaining it through every commit.
  for (const p of projections) await store.ensureIndexes(p.indexes);
  await store.finishBulkLoad?.();
  return events;
}

/** Compares two stores' copies of a collection, walking both in `_id` order, a page at a time. */
async function* differencesIn(projection: string, collection: string, live: ReadStore, fresh: ReadStore): AsyncGenerator<Difference> {
  const PAGE = 1000;
  const pages = async function* (store: ReadStore): AsyncGenerator<Doc> {
    let last: string | undefined;
    for (;;) {
      const docs = await store.find(collection, {
        ...(last === undefined ? {} : { where: { _id: { gt: last } } }), orderBy: [['_id', 'asc']], limit: PAGE,
      });
      yield* docs;
      if (docs.length < PAGE) return;
      last = docs.at(-1)!._id;
    }
  };
  const a = pages(live);
  const b = pages(fresh);
  let l = await a.next();
  let f = await b.next();
  while (!l.done || !f.done) {
    const order = l.done ? 1 : f.done ? -1 : compareStrings(l.value._id, f.value._id);
    if (order < 0) {
      yield { projection, collection, id: l.value!._id, kind: 'missing_in_fresh', live: l.value! };
      l = await a.next();
    } else if (order > 0) {
      yield { projection, collection, id: f.value!._id, kind: 'missing_in_live', fresh: f.value! };
      f = await b.next();
    } else {
      if (!isDeepStrictEqual(l.value, f.value)) yield { projection, collection, id: l.value!._id, kind: 'different', live: l.value!, fresh: f.value! };
      l = await a.next();
      f = await b.next();
    }
  }
}

export async function rebuildAndCompare(options: RebuildOptions): Promise<RebuildReport> {
  const { eventStore, live, fresh, projections } = options;
  const maxDifferences = options.maxDifferences ?? 100;
  const targets = new Map<string, bigint>();
  for (const p of projections) targets.set(p.name, await live.checkpoint(p.name));

  const started = performance.now();
  const events = await projectFromZero(eventStore, fresh, projections, targets, options.pageSize, options.chunkEvents, options.onProgress);
  const seconds = (performance.now() - started) / 1000;

  const differences: Difference[] = [];
  let differenceCount = 0;
  for (const p of projections) {
    for (const collection of p.collections) {
      for await (const difference of differencesIn(p.name, collection, live, fresh)) {
        differenceCount += 1;
        if (differences.length < maxDifferences) differences.push(difference);
      }
    }
  }
  return {
    events,
    seconds,
    eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : events,
    positions: Object.fromEntries([...targets].map(([name, position]) => [name, position.toString()])),
    differences,
    differenceCount,
  };
}
