/**
 * The synchronous fast path of a projection: `fold(event, uow)` is plain synchronous code over a
 * `SyncUnitOfWork` whose `get` answers from what the unit of work already holds. A rebuild or a
 * bulk catch-up holds nearly everything in memory, so an event costs no promise, no await and
 * no store round trip.
 *
 * When a document is not in memory (the live runner's first read of it in a batch, a rebuild's
 * first read after a chunk was written out), `get` throws `NotLoaded`: the caller rolls back
 * whatever that attempt wrote, loads the document (async, from the store) and folds the event
 * again. Folds are deterministic functions of the documents they read, so the retry computes
 * exactly what an async projector would have.
 *
 * `foldApply(fold)` turns a fold into the `Projection.apply` every runner path still understands,
 * so a projection written this way also runs where a caller hands it any other unit of work.
 */
import type { RecordedEvent } from '../../write-side/eventstore/port';
import type { Doc } from '../readstore/port';
import type { Projection, ReadModelChange, UnitOfWork } from './projection';

/**
 * Thrown by `SyncUnitOfWork.get` for a document the unit of work does not hold yet. Control
 * flow, not a fault (the live runner meets one per document a batch reads first): built without
 * a stack trace, whose capture was most of its cost.
 */
export class NotLoaded extends Error {
  readonly collection: string;
  readonly id: string;
  constructor(collection: string, id: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(`${collection}/${id} is not loaded`);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.collection = collection;
    this.id = id;
    this.name = 'NotLoaded';
  }
}

export interface SyncUnitOfWork {
  /**
   * The document as this unit of work left it, or throws `NotLoaded`. Read-only (unlike
   * `UnitOfWork.get`, no copy is made): build a new object to change it, then `put` that.
   */
  get<T extends Doc>(collection: string, id: string): T | undefined;
  /** Writes `doc`, a new object the fold does not change afterwards (a rebuild keeps it as it is). */
  put(collection: string, doc: Doc): void;
  /**
   * Writes a new document that this projection never reads back and never writes again (a
   * ledger row, keyed by its event's position): an append-only batch, with no read cache and no
   * dirty tracking per id. A collection is either appended to or `put`, not both.
   */
  append(collection: string, doc: Doc): void;
  delete(collection: string, id: string): void;
  emit(change: ReadModelChange): void;
}

export type Fold = (event: RecordedEvent, uow: SyncUnitOfWork) => void;

/** A unit of work that can run folds itself: a sync view, an undo mark, and a load of a miss. */
export interface FoldableUnitOfWork extends UnitOfWork {
  readonly sync: SyncUnitOfWork;
  /** Starts recording writes so that `rollback` can undo them. */
  mark(): void;
  /** Undoes every write since `mark()` and stops recording. */
  rollback(): void;
  /** Stops recording (the attempt stands). */
  settle(): void;
  /** Fetches a document into the unit of work (absent ones included). */
  load(collection: string, id: string): Promise<void>;
  /** Runs `attempt` with misses answered as absent, undoes it, and answers the misses (flat pairs). */
  discover(attempt: () => void): string[];
}

const isFoldable = (uow: UnitOfWork): uow is FoldableUnitOfWork => typeof (uow as Partial<FoldableUnitOfWork>).mark === 'function';

/**
 * Folds one event into one of our units of work: synchronously when every document is held,
 * else once more after each load. Resolves without a macrotask, and in the common case with
 * no await at all (the caller may skip awaiting when it answers `true`).
 */
export function foldSync(fold: Fold, event: RecordedEvent, uow: FoldableUnitOfWork): true | Promise<void> {
  uow.mark();
  try {
    fold(event, uow.sync);
    uow.settle();
    return true;
  } catch (error) {
    uow.rollback();
    if (!(error instanceof NotLoaded)) throw error;
    return loadAndFold(fold, event, uow, error);
  }
}

/**
 * Loads what the event needs, then folds it. An event may read many documents not in memory (an
 * opening count of hundreds of lines in a live batch): loading them one retry at a time would
 * fold it once per document. So first a discovery pass (misses read as absent) names them all,
 * they are loaded together, and the fold runs again; reads that depended on a loaded document
 * may need another round, and the document that stopped an attempt is always loaded, so each
 * round makes progress.
 */
async function loadAndFold(fold: Fold, event: RecordedEvent, uow: FoldableUnitOfWork, stop: NotLoaded): Promise<void> {
  let missing: NotLoaded | undefined = stop;
  while (missing) {
    const found = uow.discover(() => fold(event, uow.sync));
    await uow.load(missing.collection, missing.id);
    for (let i = 0; i < found.length; i += 2) await uow.load(found[i]!, found[i + 1]!);
    missing = undefined;
    uow.mark();
    try {
      fold(event, uow.sync);
      uow.settle();
    } catch (error) {
      uow.rollback();
      if (!(error instanceof NotLoaded)) throw error;
      missing = error;
    }
  }
}

export async function foldEvent(fold: Fold, event: RecordedEvent, uow: FoldableUnitOfWork): Promise<void> {
  const done = foldSync(fold, event, uow);
  if (done !== true) await done;
}

/** `Projection.apply` for a projection written as a fold. */
export function foldApply(fold: Fold): Projection['apply'] {
  return async (event, uow) => {
    if (isFoldable(uow)) return foldEvent(fold, event, uow);
    // Any other unit of work: fold over a local overlay, load each miss, then hand over the writes.
    const loaded = new Map<string, Doc | null>();
    for (;;) {
      const overlay = new Overlay(loaded);
      try {
        fold(event, overlay);
      } catch (error) {
        if (!(error instanceof NotLoaded)) throw error;
        // Frozen (top level): the fold reads it as held, as in our own units of work.
        const doc = await uow.get(error.collection, error.id);
        loaded.set(key(error.collection, error.id), doc === undefined ? null : Object.freeze(doc));
        continue;
      }
      overlay.replay(uow);
      return;
    }
  };
}

const key = (collection: string, id: string) => `${collection}\u0000${id}`;

type Write = { readonly op: 'put'; readonly collection: string; readonly doc: Doc } | { readonly op: 'delete'; readonly collection: string; readonly id: string };

/** Reads what was loaded (and its own writes), records writes and changes for one event. */
class Overlay implements SyncUnitOfWork {
  private readonly written = new Map<string, Doc | null>();
  private readonly writes: Write[] = [];
  private readonly changes: ReadModelChange[] = [];

  constructor(private readonly loaded: ReadonlyMap<string, Doc | null>) {}

  get<T extends Doc>(collection: string, id: string): T | undefined {
    const k = key(collection, id);
    const doc = this.written.has(k) ? this.written.get(k) : this.loaded.get(k);
    if (doc === undefined) throw new NotLoaded(collection, id);
    return doc === null ? undefined : (doc as T);
  }

  put(collection: string, doc: Doc): void {
    const copy = Object.freeze({ ...doc });
    this.written.set(key(collection, doc._id), copy);
    this.writes.push({ op: 'put', collection, doc: copy });
  }

  append(collection: string, doc: Doc): void {
    this.put(collection, doc);
  }

  delete(collection: string, id: string): void {
    this.written.set(key(collection, id), null);
    this.writes.push({ op: 'delete', collection, id });
  }

  emit(change: ReadModelChange): void {
    this.changes.push(change);
  }

  replay(uow: UnitOfWork): void {
    for (const w of this.writes) {
      if (w.op === 'put') uow.put(w.collection, w.doc);
      else uow.delete(w.collection, w.id);
    }
    for (const change of this.changes) uow.emit(change);
  }
}
