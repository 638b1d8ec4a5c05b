/**
 * The unit of work of one batch: reads are cached (a document is fetched from the store at
 * most once per batch, absent ones included), writes are buffered with the last write per
 * document winning, and changes wait until the batch is committed.
 *
 * A projector cannot change the batch behind its back, whatever it does with what it read or
 * put: otherwise the result would depend on where batches happen to split, and rebuilds
 * would differ. The batch keeps every document as a deeply frozen snapshot; `get` answers a
 * shallow copy of it (top-level fields may be reassigned freely) whose nested objects and
 * arrays are the shared, frozen ones: replace them, do not mutate them (a projector that
 * tries throws a TypeError, which stops its projection loudly instead of silently diverging).
 * `put` snapshots what it is given, reusing subtrees that are already frozen, so a document
 * with a long array (FIFO lots) costs one array copy per write, not a copy of every element
 * on every read and write.
 */
import type { Doc, DocWrite, ReadStore } from '../readstore/port';
import type { ReadModelChange, UnitOfWork } from './projection';
import { NotLoaded, type FoldableUnitOfWork, type SyncUnitOfWork } from './sync-fold';
import { WrittenIds } from './written-ids';

/** Deep copy of JSON data; much cheaper than structuredClone for small documents. */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = copyJson(v);
  }
  return out as T;
}

/**
 * A deeply frozen JSON snapshot of `value`: frozen subtrees are shared as they are, anything
 * else is copied (keys holding `undefined` dropped, as JSON would) and frozen. Never freezes
 * the caller's own objects.
 */
export function frozenJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenJson)) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = frozenJson(v);
  }
  return Object.freeze(out) as T;
}

/** Freezes, in place, a value nobody else holds (a document just parsed from the store). */
function freezeOwned<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  for (const key in value) freezeOwned((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

export class BatchUnitOfWork implements FoldableUnitOfWork {
  /** collection -> id -> document as the batch left it (null: absent or deleted). */
  protected readonly docs = new Map<string, Map<string, Doc | null>>();
  protected readonly dirty = new Map<string, Set<string>>();
  readonly changes: ReadModelChange[] = [];
  /**
   * While a fold attempt runs (`mark()`): what its writes replaced, flat, five slots per write
   * (collection map, id, previous entry or `undefined` if none, dirty set, was it dirty): one
   * reused array, no allocation per write on the hot path. And the changes before the attempt.
   */
  private readonly undo: unknown[] = [];
  /** While discovering (`discover()`): the misses seen, flat pairs (collection, id). */
  private discovered: string[] | undefined;
  private journaling = false;
  private changesAtMark = 0;
  /**
   * Appended documents (`SyncUnitOfWork.append`), flat pairs (collection, document), in the order
   * folded: written out as they are, after the documents put. A rollback cuts it back to its mark.
   */
  protected readonly appended: Array<string | Doc> = [];
  private appendedAtMark = 0;

  /** The synchronous view folds run against (sync-fold.ts). */
  readonly sync: SyncUnitOfWork = {
    // The document as held, not a copy: folds build a new object to change one (`put` snapshots
    // it). Here it is deeply frozen, so a fold that mutated it would throw in every live batch.
    get: <T extends Doc>(collection: string, id: string): T | undefined => {
      const docs = this.collection(collection);
      let doc = docs.get(id);
      if (doc === undefined) {
        const recalled = this.recall(collection, id);
        if (recalled !== undefined) {
          docs.set(id, recalled);
          return recalled as T;
        }
        if (!this.knownAbsent(collection, id)) {
          if (!this.discovered) throw new NotLoaded(collection, id);
          this.discovered.push(collection, id); // discovery: note it, read on as if absent
          return undefined;
        }
        docs.set(id, (doc = null));
      }
      return doc === null ? undefined : (doc as T);
    },
    put: (collection, doc) => this.putFolded(collection, doc),
    append: (collection, doc) => {
      this.appended.push(collection, doc);
    },
    delete: (collection, id) => this.delete(collection, id),
    emit: (change) => this.emit(change),
  };

  constructor(protected readonly store: ReadStore) {}

  mark(): void {
    this.undo.length = 0;
    this.journaling = true;
    this.changesAtMark = this.changes.length;
    this.appendedAtMark = this.appended.length;
  }

  rollback(): void {
    const undo = this.undo;
    for (let i = undo.length - 5; i >= 0; i -= 5) {
      const docs = undo[i] as Map<string, Doc | null>;
      const id = undo[i + 1] as string;
      const previous = undo[i + 2] as Doc | null | undefined;
      if (previous === undefined) docs.delete(id);
      else docs.set(id, previous);
      if (!undo[i + 4]) (undo[i + 3] as Set<string>).delete(id);
    }
    this.changes.length = this.changesAtMark;
    this.appended.length = this.appendedAtMark;
    this.settle();
  }

  settle(): void {
    this.undo.length = 0;
    this.journaling = false;
  }

  async load(collection: string, id: string): Promise<void> {
    await this.get(collection, id);
  }

  /**
   * Runs `attempt` with misses answered as absent instead of thrown, then undoes everything it
   * wrote, and answers the misses it met (flat pairs): what to load before the real attempt.
   */
  discover(attempt: () => void): string[] {
    const found: string[] = [];
    this.mark();
    this.discovered = found;
    try {
      attempt();
    } catch {
      // A fold that read "absent" where a document exists may throw; the real attempt will tell.
    } finally {
      this.discovered = undefined;
      this.rollback();
    }
    return found;
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | undefined> {
    const docs = this.collection(collection);
    let doc = docs.get(id);
    if (doc === undefined) {
      const recalled = this.recall(collection, id);
      if (recalled !== undefined) docs.set(id, (doc = recalled));
    }
    if (doc === undefined) {
      const stored = this.knownAbsent(collection, id) ? undefined : await this.store.get(collection, id);
      doc = stored === undefined ? null : freezeOwned(stored);
      // A get awaited in parallel may have filled the slot meanwhile; the first answer stays.
      if (!docs.has(id)) docs.set(id, doc);
      doc = docs.get(id)!;
    }
    return doc === null ? undefined : ({ ...doc } as T);
  }

  put(collection: string, doc: Doc): void {
    this.write(collection, doc._id, frozenJson(doc));
  }

  /** A fold's `put` (sync view): snapshotted as any put here. */
  protected putFolded(collection: string, doc: Doc): void {
    this.put(collection, doc);
  }

  /** Keeps `doc` itself (no snapshot): for units of work whose projectors are trusted with it. */
  protected putAsIs(collection: string, doc: Doc): void {
    this.write(collection, doc._id, doc);
  }

  delete(collection: string, id: string): void {
    this.write(collection, id, null);
  }

  private write(collection: string, id: string, doc: Doc | null): void {
    const docs = this.collection(collection);
    let dirty = this.dirty.get(collection);
    if (!dirty) this.dirty.set(collection, (dirty = new Set()));
    if (this.journaling) this.undo.push(docs, id, docs.get(id), dirty, dirty.has(id));
    docs.set(id, doc);
    dirty.add(id);
  }

  emit(change: ReadModelChange): void {
    this.changes.push(change);
  }

  /**
   * The buffered writes, one per touched document. `sorted`: in id order within each collection,
   * for big commits: a B-tree takes keys in order about twice as fast as scattered ones (sale
   * ids, per-day keys), and the order of distinct documents in one commit changes nothing else.
   */
  writes(sorted = false): DocWrite[] {
    const writes: DocWrite[] = [];
    for (const [collection, dirty] of this.dirty) {
      const docs = this.docs.get(collection)!;
      const ids = sorted ? [...dirty].sort() : dirty;
      for (const id of ids) {
        const doc = docs.get(id);
        writes.push(doc ? { op: 'put', collection, doc } : { op: 'delete', collection, id });
      }
    }
    // Appended rows, grouped by collection (a commit switches statements per collection run);
    // within one they stay in fold order, which for position-keyed rows is id order.
    const byCollection = new Map<string, Doc[]>();
    for (let i = 0; i < this.appended.length; i += 2) {
      const collection = this.appended[i] as string;
      let rows = byCollection.get(collection);
      if (!rows) byCollection.set(collection, (rows = []));
      rows.push(this.appended[i + 1] as Doc);
    }
    for (const [collection, rows] of byCollection) for (const doc of rows) writes.push({ op: 'put', collection, doc });
    return writes;
  }

  /**
   * A document this unit of work held before its last flush and that the store holds as it is
   * (a rebuild's hot documents across chunks): moved back in without a store read.
   */
  protected recall(_collection: string, _id: string): Doc | undefined {
    return undefined;
  }

  /** True when the store certainly does not hold `collection/id`, so a miss needs no read. */
  protected knownAbsent(_collection: string, _id: string): boolean {
    return false;
  }

  private collection(name: string): Map<string, Doc | null> {
    let docs = this.docs.get(name);
    if (!docs) this.docs.set(name, (docs = new Map()));
    return docs;
  }
}

/**
 * The unit of work of a rebuild into a fresh store: one for the whole pass of a projection
 * (or for a chunk of `REBUILD_CHUNK_EVENTS`), not one per batch. Documents stay in memory
 * from their first read to the end, so each is parsed at most once and serialized and
 * written once per chunk however many events touch it. Differences from the batch:
 * - no deep snapshots: `put` keeps a shallow copy (top-level fields are the document's own)
 *   and nested values by reference, unfrozen. Projectors treat nested values as read-only,
 *   which the live runner's frozen snapshots enforce loudly in every test and in production;
 *   a projector that broke the rule would only make `rebuildAndCompare` report differences.
 * - the projection's own collections were just reset (or never committed to), so a miss in
 *   them is known absent without asking the store (the `stock_seen` ids are ~0.75 misses per
 *   event). A flush drops the documents but keeps the ids it wrote in the collections the
 *   projector reads (not the ledger, only ever written), so later misses stay known absent
 *   unless a flush wrote that id: only those are read back from the store. The ids are held
 *   as a Bloom filter (written-ids.ts: ~1.2 MiB per million ids, ~1 % of new ids read the
 *   store for nothing), so what grows with the log is small (docs/read-store.md);
 * - changes are not kept: nobody listens to a fresh store being rebuilt.
 */
export class RebuildUnitOfWork extends BatchUnitOfWork {
  private readonly owned: ReadonlySet<string>;
  /** Owned collections the projector has read from (their flushed ids are remembered). */
  private readonly read = new Set<string>();
  /** Per owned collection: ids written out by a flush (absent: none, or not tracked), as a Bloom filter. */
  private readonly stored = new Map<string, WrittenIds>();
  /** Owned collections written out by a flush before they were tracked: misses read the store. */
  private readonly untracked = new Set<string>();
  /**
   * The documents the last flush wrote out or that the chunk before it read, kept per collection
   * for the next chunk (the hot stock and lots documents of every slot): a read of one moves it
   * back without a store read, and the next flush forgets those nobody touched, so what is kept
   * is bounded by what one chunk touched. Per collection, how many came back.
   */
  private retained = new Map<string, Map<string, Doc>>();
  private readonly recalled = new Map<string, number>();
  /** Collections whose kept documents hardly ever came back (one id per sale, per day): not kept. */
  private readonly notRetained = new Set<string>();
  /** Per collection: misses read back from the store since the last flush. */
  private readonly readBack = new Map<string, number>();

  constructor(store: ReadStore, ownedCollections: readonly string[]) {
    super(store);
    this.owned = new Set(ownedCollections);
  }

  protected override knownAbsent(collection: string, id: string): boolean {
    if (!this.owned.has(collection) || this.untracked.has(collection)) return false;
    if (!this.read.has(collection)) this.read.add(collection);
    if (this.stored.get(collection)?.mightHold(id) ?? false) {
      // Read back from the store: counted, so a collection not kept is kept again when its
      // documents do come back after all (a day's documents across a day's chunks).
      this.readBack.set(collection, (this.readBack.get(collection) ?? 0) + 1);
      return false;
    }
    return true;
  }

  protected override recall(collection: string, id: string): Doc | undefined {
    const kept = this.retained.get(collection);
    const doc = kept?.get(id);
    if (doc !== undefined) this.recalled.set(collection, (this.recalled.get(collection) ?? 0) + 1);
    return doc;
  }

  override emit(_change: ReadModelChange): void {}

  override get<T extends Doc>(collection: string, id: string): Promise<T | undefined> {
    // Nearly every read is a hit here: answer it without an async function's machinery.
    const doc = this.docs.get(collection)?.get(id);
    if (doc === undefined) return super.get(collection, id);
    return Promise.resolve(doc === null ? undefined : ({ ...doc } as T));
  }

  override put(collection: string, doc: Doc): void {
    this.putAsIs(collection, { ...doc });
  }

  /**
   * A fold hands `put` a document it built for the write and does not touch afterwards (sync-fold
   * rule; the live unit of work snapshots it, so a fold breaking the rule would make rebuild and
   * live differ, which the property tests compare): kept as it is, without the shallow copy.
   */
  protected override putFolded(collection: string, doc: Doc): void {
    this.putAsIs(collection, doc);
  }

  /** Documents changed since the last flush. */
  get pending(): number {
    let n = 0;
    for (const ids of this.dirty.values()) n += ids.size;
    return n + this.appended.length / 2;
  }

  /**
   * Hands over the writes buffered so far and forgets every document, to bound memory on a
   * very long log: what was written must then be committed before the next `get`.
   */
  flush(): DocWrite[] {
    const writes = this.writes(true);
    for (const [collection, ids] of this.dirty) {
      if (!this.owned.has(collection)) continue;
      if (!this.read.has(collection)) {
        this.untracked.add(collection); // never read so far: do not hold its ids (the ledger)
        continue;
      }
      let stored = this.stored.get(collection);
      if (!stored) this.stored.set(collection, (stored = new WrittenIds()));
      // A deleted document counts as possibly stored: a read of it is cheap and answers "absent".
      for (const id of ids) stored.add(id);
    }
    // Appended collections are never read back: a read of one (none expected) goes to the store.
    for (let i = 0; i < this.appended.length; i += 2) this.untracked.add(this.appended[i] as string);
    this.appended.length = 0;
    this.dirty.clear();
    this.retain();
    this.docs.clear();
    return writes;
  }

  /** Keeps this chunk's documents of the collections whose kept documents came back (see `retained`). */
  private retain(): void {
    for (const [collection, kept] of this.retained) {
      // Fewer than one in four came back: the projector reads each id about once (sale ids, days).
      if ((this.recalled.get(collection) ?? 0) * 4 < kept.size) this.notRetained.add(collection);
    }
    for (const collection of this.notRetained) {
      // One in four of its documents this chunk was read back from the store: keep them again
      // (a chunk boundary at a day's end had made the daily documents look read once).
      if ((this.readBack.get(collection) ?? 0) * 4 >= (this.docs.get(collection)?.size ?? 0)) this.notRetained.delete(collection);
    }
    this.readBack.clear();
    const next = new Map<string, Map<string, Doc>>();
    for (const [collection, docs] of this.docs) {
      if (!this.read.has(collection) || this.notRetained.has(collection)) continue;
      const kept = new Map<string, Doc>();
      for (const [id, doc] of docs) if (doc !== null) kept.set(id, doc);
      if (kept.size > 0) next.set(collection, kept);
    }
    this.retained = next;
    this.recalled.clear();
  }
}
