/**
 * The read store port: documents in named collections, written only by projectors, in
 * batches that move the projector's checkpoint in the same atomic step. A crash between
 * "data written" and "checkpoint moved" is impossible by construction, so a projector that
 * restarts from its checkpoint neither skips nor double-applies an event.
 *
 * Adapters: embedded (SQLite), MongoDB, in-memory (tests). One contract suite covers all.
 */

export type Scalar = string | number | boolean | null;

/** A document is plain JSON; `_id` is its key inside the collection. */
export type Doc = { readonly _id: string } & Record<string, unknown>;

export type DocWrite =
  | { readonly op: 'put'; readonly collection: string; readonly doc: Doc }
  | { readonly op: 'delete'; readonly collection: string; readonly id: string };

/** Comparison on one field; several keys in one condition are ANDed. */
export interface Range {
  readonly eq?: Scalar;
  readonly gt?: string | number;
  readonly gte?: string | number;
  readonly lt?: string | number;
  readonly lte?: string | number;
  readonly in?: readonly Scalar[];
}

/**
 * A deliberately small query language: equality or ranges on top-level fields, ANDed.
 * Adapters translate it field by field; user input only ever becomes a value, never an operator.
 */
export interface Query {
  readonly where?: Readonly<Record<string, Scalar | Range>>;
  readonly orderBy?: ReadonlyArray<readonly [field: string, direction: 'asc' | 'desc']>;
  readonly limit?: number;
}

export interface IndexSpec {
  readonly collection: string;
  /** Fields of one compound index, in order. */
  readonly fields: readonly string[];
}

export interface ReadStore {
  readonly kind: 'embedded' | 'mongodb' | 'memory' | 'postgres';
  /** Creates the collections' indexes (idempotent). */
  ensureIndexes(indexes: readonly IndexSpec[]): Promise<void>;
  /**
   * Optional: the indexes `ensureIndexes` will build once a bulk load (a rebuild) is done. An
   * adapter that keeps indexed fields in typed columns (SQLite) creates them now, so the load
   * fills them and the index build at the end reads plain columns. Others omit it.
   */
  declareIndexes?(indexes: readonly IndexSpec[]): Promise<void>;
  /** Where `projection` stopped: the position of the last event it covers, 0n when never run. */
  checkpoint(projection: string): Promise<bigint>;
  /**
   * Applies the writes and moves the checkpoint to `position`, all or nothing.
   * `position` must be greater than the current checkpoint (else `CheckpointConflictError`,
   * nothing written): a stale or duplicate batch can never be applied twice.
   * `changes`, where given, are kept for other processes in the same step by adapters that
   * share a store across processes (MongoDB: `watchChanges`); the others ignore them.
   */
  commit(projection: string, writes: readonly DocWrite[], position: bigint, changes?: readonly ChangeRecord[], fence?: Fence): Promise<void>;
  /**
   * Optional: the batches of several projections (or several batches of one, in order) in ONE
   * transaction, each checkpoint moving with its own writes as `commit` would move it; all or
   * nothing: a batch whose position is at or before its checkpoint (`CheckpointConflictError`),
   * a fence that no longer holds, or any other failure writes none of them. Saves a transaction
   * per projection per batch (the live runner: projections/runner/group-commit.ts); adapters
   * without it get one `commit` per batch.
   */
  commitAll?(batches: readonly ProjectionBatch[], fence?: Fence): Promise<void>;
  /**
   * Optional: the checkpoints of `projections` in one read (0n for one never committed). An
   * api polling a dozen projections' positions (topology/projection-feed.ts) reads them at once.
   */
  checkpoints?(projections: readonly string[]): Promise<ReadonlyMap<string, bigint>>;
  /**
   * Optional: a value that changes whenever a commit may have changed the store since it was
   * last read (SQLite: `PRAGMA data_version`, plus this connection's own commits). A poller
   * that reads the same value twice knows there is nothing new to read.
   */
  changeMark?(): Promise<string>;
  /**
   * Optional (adapters shared across threads or processes): the changes committed after
   * `cursor` (opaque; undefined = "from now": no changes, the current cursor), oldest first, at
   * most `limit`. Lets an API process feed SSE from another process's projector
   * (topology/projection-feed.ts). Changes are kept for a while, then pruned.
   */
  changesAfter?(cursor: string | undefined, limit: number): Promise<{ readonly changes: readonly ChangeRecord[]; readonly cursor: string }>;
  get<T extends Doc = Doc>(collection: string, id: string): Promise<T | undefined>;
  getMany<T extends Doc = Doc>(collection: string, ids: readonly string[]): Promise<Map<string, T>>;
  find<T extends Doc = Doc>(collection: string, query?: Query): Promise<T[]>;
  count(collection: string, query?: Query): Promise<number>;
  /**
   * Optional: makes everything committed so far durable after a bulk load that ran with
   * relaxed durability (a rebuild into a fresh store). Stores without such a mode omit it.
   */
  finishBulkLoad?(): Promise<void>;
  /**
   * Optional: a bulk catch-up is committing large chunks into this (live) store while `active`;
   * the adapter may trade memory for speed meanwhile (SQLite: a 64 MiB page cache instead of the
   * default 2 MiB, for the index maintenance of every commit). Stores with nothing to tune omit it.
   */
  catchingUp?(active: boolean): void;
  /**
   * Optional, while `catchingUp(true)`: `collections` are empty and about to be bulk loaded by
   * the catch-up (its first start on an empty store); the adapter may drop their indexes and
   * build them once when `catchingUp(false)` comes, as a rebuild does, instead of maintaining
   * them through every chunk's commit. Queries meanwhile answer the same, only unindexed.
   * A collection that holds documents keeps its indexes.
   */
  deferIndexes?(collections: readonly string[]): void;
  /** Drops the collections and the checkpoint of a projection (for a rebuild). */
  reset(projection: string, collections: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A lease held by the committer (topology/lease): the adapter checks, inside the commit's own
 * transaction, that the lease `name` still carries `token`, and otherwise throws
 * `FencedOffError` with nothing written. So a projector that lost its lease (paused, partitioned,
 * presumed dead) can never commit after its successor started.
 */
export interface Fence {
  readonly name: string;
  readonly token: bigint;
}

/** The commit's fence no longer holds: another holder took the lease over. */
export class FencedOffError extends Error {
  constructor(readonly fence: Fence, readonly current: bigint | undefined) {
    super(`lease ${fence.name} moved to token ${String(current)}; a commit under token ${fence.token} is refused`);
    this.name = 'FencedOffError';
  }
}

/** One projection's batch for `commitAll`: its writes, its new checkpoint, its changes. */
export interface ProjectionBatch {
  readonly projection: string;
  readonly writes: readonly DocWrite[];
  readonly position: bigint;
  readonly changes?: readonly ChangeRecord[];
}

/** A change published after a commit (the runner's `ReadModelChange` fits). */
export type ChangeRecord = { readonly position: string } & Readonly<Record<string, unknown>>;

/** A commit tried to move a checkpoint backwards or re-apply its position: another writer, or a replay. */
export class CheckpointConflictError extends Error {
  constructor(
    readonly projection: string,
    readonly current: bigint,
    readonly attempted: bigint,
  ) {
    super(`projection ${projection} is at ${current}; a commit at ${attempted} would re-apply or go back`);
    this.name = 'CheckpointConflictError';
  }
}

/** A query, collection or field name that the small query language does not allow (400 at the edge). */
export class InvalidQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidQueryError';
  }
}
