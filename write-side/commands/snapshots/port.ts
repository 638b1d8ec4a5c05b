/**
 * The snapshot store port: the last folded state of a stream, so loading a stream reads only
 * the events after the snapshot (a location with a million sales loads in milliseconds).
 *
 * A snapshot is a cache, never a source of truth: losing one costs a replay, a wrong one is
 * detected (its revision's position must match the log's) and ignored. So adapters may commit
 * with relaxed durability. Adapters: embedded SQLite, MongoDB, in-memory; each passes
 * `snapshot-store.contract.ts` (a PostgreSQL adapter is one more file beside them).
 */
export interface StreamSnapshot {
  readonly streamId: string;
  /** The codec's version (`StreamKind.snapshot.version`): another version is ignored. */
  readonly version: number;
  /** Revision of the last event folded into `state`. */
  readonly revision: bigint;
  /** Global position of that event (checked against the log before the snapshot is trusted). */
  readonly position: bigint;
  /** The encoded state: plain JSON (no Map, no bigint, no undefined). */
  readonly state: unknown;
}

export interface SnapshotStore {
  readonly kind: 'embedded' | 'mongodb' | 'memory' | 'postgres';
  /** The stream's snapshot, or undefined when there is none. */
  load(streamId: string): Promise<StreamSnapshot | undefined>;
  /**
   * Stores `snapshot` unless one at a later revision of the same version is already stored
   * (two writers racing keep the newer). Another version replaces whatever is stored.
   */
  save(snapshot: StreamSnapshot): Promise<void>;
  close(): Promise<void>;
}
