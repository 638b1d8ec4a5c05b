/**
 * The fast fold: reads the log ONCE for several projections and folds each event into one
 * in-memory unit of work per projection (`RebuildUnitOfWork`), writing each touched document
 * once per chunk in one commit that also moves that projection's checkpoint. Used by
 * `npm run rebuild` (into a fresh store) and by the runner's bulk catch-up (a first start on
 * an empty read store, or a projection far behind the head), so both take the same path.
 *
 * Any `Projection` folds here unchanged: the unit of work answers from memory, so a projector's
 * `await uow.get(...)` resolves without touching the store for documents it already holds.
 *
 * Bounded memory: a chunk of `chunkEvents` events is the most a lane holds before its writes go
 * out; then it keeps only the documents that chunk touched, for the next one (unit-of-work.ts;
 * docs/read-store.md has the figures per chunk size).
 */
import type { RecordedEvent, EventStore } from '../../write-side/eventstore/port';
import type { Fence, ReadStore } from '../readstore/port';
import { ProjectorError } from './apply-batch';
import type { Projection } from './projection';
import { collectGarbage } from './full-gc';
import { foldSync } from './sync-fold';
import { RebuildUnitOfWork } from './unit-of-work';

/** One projection's state during a fold. */
export interface FoldLane {
  readonly projection: Projection;
  /** Last position to project (inclusive); events beyond it are skipped for this lane. */
  readonly target: bigint;
  readonly uow: RebuildUnitOfWork;
  /** Position of the last event applied, and of the last one written out (its checkpoint). */
  applied: bigint;
  committed: bigint;
  /** Set when its projector threw: the lane stops; what it folded since its last commit is dropped. */
  failed?: ProjectorError;
}

/**
 * A lane starting after `checkpoint`. `emptyStore`: the projection's collections hold nothing
 * (just reset, or checkpoint 0), so until the first commit a miss needs no store read.
 */
export function foldLane(store: ReadStore, projection: Projection, checkpoint: bigint, target: bigint, emptyStore: boolean): FoldLane {
  return {
    projection, target, applied: checkpoint, committed: checkpoint,
    uow: new RebuildUnitOfWork(store, emptyStore ? projection.collections : []),
  };
}

export interface FoldProgress {
  /** Position of the last event read. */
  readonly position: bigint;
  /** Events read so far in this fold. */
  readonly events: number;
}

export interface FoldOptions {
  readonly eventStore: EventStore;
  readonly store: ReadStore;
  readonly lanes: readonly FoldLane[];
  readonly pageSize: number;
  /** Events folded in memory between two commits of every lane. */
  readonly chunkEvents: number;
  /** The lease checked by each commit (the runner's), if any. */
  readonly fence?: () => Fence | undefined;
  /** After each page (for progress bars and `/health`). */
  readonly onPage?: (progress: FoldProgress) => void;
  /** After each commit of a lane (the runner moves that projection's checkpoint). */
  readonly onCommit?: (lane: FoldLane) => void;
  /**
   * `'stop'` (the rebuild): a throwing projector ends the fold with its `ProjectorError`.
   * `'drop'` (the catch-up): that lane stops, the others go on; the caller deals with it.
   */
  readonly onProjectorError: 'stop' | 'drop';
  /** Checked before each page: true ends the fold (nothing more is committed). */
  readonly stopped?: () => boolean;
  /**
   * Give the event loop a macrotask between pages and at least every `YIELD_EVERY_MS` while
   * folding a page (a process that also serves requests, renews leases, answers `/health`): a
   * page folds synchronously while its documents are in memory, and is seconds of work on a
   * loaded machine.
   */
  readonly yieldBetweenPages?: boolean;
  /**
   * A full garbage collection after each chunk's commits (a batch job such as the rebuild): the
   * chunk's documents die together, and collecting them at once keeps the peak RSS near the
   * live heap (full-gc.ts). Off for a process that serves requests (a pause per chunk).
   */
  readonly collectAfterChunk?: boolean;
}

/** The longest a yielding fold keeps the event loop to itself between two macrotasks. */
export const YIELD_EVERY_MS = 20;

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Answers whether the event loop is due a turn (checks the clock every 64 events). */
function yielder(): (events: number) => boolean {
  let since = performance.now();
  return (events) => {
    if ((events & 63) !== 0 || performance.now() - since < YIELD_EVERY_MS) return false;
    since = performance.now();
    return true;
  };
}

/** Writes out what a lane folded since its last commit, with its checkpoint, in one commit. */
export async function commitLane(store: ReadStore, lane: FoldLane, fence?: Fence): Promise<boolean> {
  if (lane.failed || lane.applied === lane.committed) return false;
  await store.commit(lane.projection.name, lane.uow.flush(), lane.applied, undefined, fence);
  lane.committed = lane.applied;
  return true;
}

/**
 * Folds the log after the lowest lane checkpoint up to the highest target (or the end of the
 * log as it grows, for `target = MAX`), committing every lane each `chunkEvents` events and at
 * the end. Answers the events read within range. A lane never sees an event at or before its
 * own checkpoint, nor one after its target.
 */
export async function foldLog(options: FoldOptions): Promise<number> {
  const { eventStore, store, lanes, pageSize, chunkEvents } = options;
  const active = () => lanes.filter((l) => !l.failed);
  if (active().length === 0) return 0;
  const until = lanes.reduce((a, lane) => (lane.target > a ? lane.target : a), 0n);
  let after = lanes.reduce((a, lane) => (lane.committed < a ? lane.committed : a), until);
  let events = 0;
  let sinceCommit = 0;
  const commitAll = async () => {
    for (const lane of active()) {
      if (await commitLane(store, lane, options.fence?.())) options.onCommit?.(lane);
    }
    sinceCommit = 0;
  };
  const due = options.yieldBetweenPages ? yielder() : undefined;
  while (after < until && active().length > 0) {
    if (due) await macrotask();
    if (options.stopped?.()) return events;
    const page = await eventStore.readAll({ after, maxCount: pageSize });
    if (page.length === 0) break;
    for (const lane of active()) await foldPage(lane, page, options.onProjectorError, due);
    let inRange = page.length;
    while (inRange > 0 && page[inRange - 1]!.position > until) inRange -= 1;
    events += inRange;
    sinceCommit += inRange;
    after = page.at(-1)!.position;
    options.onPage?.({ position: after < until ? after : until, events });
    if (sinceCommit >= chunkEvents) {
      await commitAll();
      if (options.collectAfterChunk) collectGarbage();
    }
    if (page.length < pageSize) break;
  }
  if (options.stopped?.()) return events;
  await commitAll();
  return events;
}

async function foldPage(lane: FoldLane, page: readonly RecordedEvent[], onError: 'stop' | 'drop', due?: (events: number) => boolean): Promise<void> {
  const { projection, target, uow } = lane;
  const fold = projection.fold;
  for (let i = 0; i < page.length; i += 1) {
    const event = page[i]!;
    if (event.position <= lane.applied) continue; // already in the store (or folded): skip
    if (event.position > target) return; // pages come in position order
    if (due?.(i)) await macrotask();
    try {
      if (fold) {
        // Synchronous while every document is in memory: no promise per event.
        const done = foldSync(fold, event, uow);
        if (done !== true) await done;
      } else {
        await projection.apply(event, uow);
      }
    } catch (error) {
      const failure = new ProjectorError(projection.name, event.position, event.type, error);
      if (onError === 'stop') throw failure;
      lane.failed = failure;
      return;
    }
    lane.applied = event.position;
  }
}
