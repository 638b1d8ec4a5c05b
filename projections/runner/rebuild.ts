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
import { applyBatch } from './apply-batch';
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
  readonly maxDifferences?: number;
}

/**
 * Events per commit during a rebuild. Large: a batch reads and writes each document once
 * however many of its events touch it, so bigger batches mean fewer reads, fewer JSON copies
 * and fewer rows rewritten (a busy SKU is written once per batch, not once per sale). The
 * live runner uses small ones instead, to keep the API responsive while it catches up.
 */
export const REBUILD_PAGE_SIZE = 20_000;

/** Projects the log into `store` from zero, each projection up to its target position. Answers the events read. */
export async function projectFromZero(
  eventStore: EventStore, store: ReadStore, projections: readonly Projection[], targets: ReadonlyMap<string, bigint>, pageSize = REBUILD_PAGE_SIZE,
): Promise<number> {
  const checkpoints = new Map<string, bigint>();
  for (const p of projections) {
    await store.reset(p.name, p.collections);
    checkpoints.set(p.name, 0n);
  }
  const until = [...targets.values()].reduce((a, b) => (b > a ? b : a), 0n);
  let after = 0n;
  let events = 0;
  while (after < until) {
    const page = await eventStore.readAll({ after, maxCount: pageSize });
    if (page.length === 0) break;
    for (const p of projections) {
      const target = targets.get(p.name) ?? 0n;
      const slice = page.filter((e) => e.position <= target);
      if (slice.length === 0) continue;
      const result = await applyBatch(p, store, checkpoints.get(p.name)!, slice);
      checkpoints.set(p.name, result.committed);
    }
    const inRange = page.filter((e) => e.position <= until).length;
    events += inRange;
    after = page.at(-1)!.position;
    if (page.length < pageSize) break;
  }
  // Indexes last, as in any bulk load: projectors read by id only (the primary key), and
  // building each index once is far cheaper than maintaining it through every batch.
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
  const events = await projectFromZero(eventStore, fresh, projections, targets, options.pageSize);
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
