/**
 * In-process cache of stream states, so deciding does not replay a whole stream each time:
 * each entry keeps `{state, revision}` and a refresh reads only the events after that revision.
 * Bounded by stream count (least recently used first out).
 *
 * Refreshes of one entry are serialized: `evolve` updates the state in place, and two overlapping
 * catch-ups would apply the same events twice.
 *
 * Long streams stay cheap: a kind with a snapshot codec starts a cold entry from the stream's
 * snapshot (when its revision's position matches the log) and reads only the tail, in pages that
 * yield to other requests; every `snapshotEvery` folded events a new snapshot is saved.
 */
import type { DomainEvent } from '../../schemas/types';
import { idempotencyKeyOf } from '../domain/idempotency';
import type { AppendResult, EventStore } from '../eventstore/port';
import type { SnapshotStore } from './snapshots/port';

export interface StreamKind<S> {
  readonly initial: () => S;
  readonly evolve: (state: S, event: DomainEvent) => S;
  /** How the state is stored as a snapshot; absent: the kind's streams are short (never snapshotted). */
  readonly snapshot?: {
    readonly version: number;
    readonly encode: (state: S) => unknown;
    readonly decode: (json: unknown) => S;
  };
  /**
   * Whether the state still remembers an idempotency key: when it has forgotten one (pruned by
   * its dedupe window), the cache drops that key's position too. Absent: keys are never pruned.
   */
  readonly remembers?: (state: S, key: string) => boolean;
}

export interface StreamCacheOptions {
  /** Where snapshots live; absent: none are read or written. */
  readonly snapshots?: SnapshotStore;
  /** Save a snapshot once this many events were folded since the last one. Default 1000. */
  readonly snapshotEvery?: number;
  /** Events read per page while catching up (the loop yields between pages). Default 5000. */
  readonly pageSize?: number;
  /** Where a failed snapshot save is reported (it never fails a command). */
  readonly onSnapshotError?: (error: unknown) => void;
}

export interface CachedStream<S> {
  readonly streamId: string;
  state: S;
  /** Revision of the last event folded in; -1n while the stream does not exist. */
  revision: bigint;
  /** Global position of that event (0n while the stream does not exist). */
  lastPosition: bigint;
  /**
   * First position at which each idempotency key was stored (a repeat answers it), for the keys
   * folded by this process and still remembered by the state. A repeat of a key known only from
   * a snapshot answers the stream's last position instead (it includes the original).
   */
  readonly positions: Map<string, bigint>;
  readonly kind: StreamKind<S>;
  tail: Promise<void>;
  /** False until the snapshot was looked for (once, on the first refresh of a cold entry). */
  snapshotChecked: boolean;
  /** Revision of the last snapshot saved or loaded (-1n: none). */
  snapshotRevision: bigint;
}

export class StreamCache {
  private readonly entries = new Map<string, CachedStream<unknown>>();

  private readonly snapshotEvery: bigint;
  private readonly pageSize: number;

  constructor(
    private readonly store: EventStore,
    private readonly maxStreams: number,
    private readonly options: StreamCacheOptions = {},
  ) {
    this.snapshotEvery = BigInt(options.snapshotEvery ?? 1000);
    this.pageSize = options.pageSize ?? 5000;
  }

  /**
   * The entry as this process last left it, without asking the store, once it was loaded before
   * (a cold entry is loaded as `load` does). For decisions that a stale state cannot make wrong,
   * only slower: see `appendAny` in service.ts.
   */
  async loadWarm<S>(streamId: string, kind: StreamKind<S>): Promise<CachedStream<S>> {
    const entry = this.entries.get(streamId) as CachedStream<S> | undefined;
    if (entry?.snapshotChecked) {
      this.entries.delete(streamId); // re-insert: most recently used last
      this.entries.set(streamId, entry as CachedStream<unknown>);
      await entry.tail; // a refresh or advance under way finishes first (they mutate the state)
      if (this.entries.get(streamId) === entry) return entry;
    }
    return this.load(streamId, kind);
  }

  /** The entry, caught up with the store (unless `upToDate` says its state can no longer change). */
  async load<S>(streamId: string, kind: StreamKind<S>, upToDate?: (state: S) => boolean): Promise<CachedStream<S>> {
    let entry = this.entries.get(streamId) as CachedStream<S> | undefined;
    if (entry) {
      this.entries.delete(streamId); // re-insert: most recently used last
    } else {
      entry = {
        streamId, state: kind.initial(), revision: -1n, lastPosition: 0n, positions: new Map(), kind, tail: Promise.resolve(),
        snapshotChecked: false, snapshotRevision: -1n,
      };
    }
    this.entries.set(streamId, entry as CachedStream<unknown>);
    while (this.entries.size > this.maxStreams) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    if (!upToDate?.(entry.state)) await this.refresh(entry);
    return entry;
  }

  async refresh<S>(entry: CachedStream<S>): Promise<void> {
    return this.serialized(entry, async () => {
      if (!entry.snapshotChecked) await this.restore(entry);
      await this.catchUp(entry);
      this.maybeSnapshot(entry);
    });
  }

  /** Folds every event after the entry's revision, a page at a time, yielding between pages. */
  private async catchUp<S>(entry: CachedStream<S>): Promise<void> {
    for (;;) {
      const page = await this.store.readStream(entry.streamId, { fromRevision: entry.revision + 1n, maxCount: this.pageSize });
      for (const r of page) fold(entry, { type: r.type, data: r.data } as DomainEvent, r.revision, r.position);
      if (page.length < this.pageSize) return;
      // A long replay (no snapshot yet) must not hold every other request for seconds.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Starts a cold entry from its snapshot when there is one the log confirms. */
  private async restore<S>(entry: CachedStream<S>): Promise<void> {
    entry.snapshotChecked = true;
    const codec = entry.kind.snapshot;
    const snapshots = this.options.snapshots;
    if (!codec || !snapshots || entry.revision !== -1n) return;
    const snapshot = await snapshots.load(entry.streamId);
    if (!snapshot || snapshot.version !== codec.version) return;
    // A snapshot from another log (a wiped data dir, another database) must not be trusted.
    const [atRevision] = await this.store.readStream(entry.streamId, { fromRevision: snapshot.revision, maxCount: 1 });
    if (!atRevision || atRevision.position !== snapshot.position) return;
    entry.state = codec.decode(snapshot.state);
    entry.revision = snapshot.revision;
    entry.lastPosition = snapshot.position;
    entry.snapshotRevision = snapshot.revision;
  }

  /**
   * Saves a snapshot once enough events were folded since the last one. The state is encoded
   * now (it is mutated in place by later folds); the save itself is not awaited: a snapshot is
   * a cache, and a command never waits for it nor fails because of it.
   */
  private maybeSnapshot<S>(entry: CachedStream<S>): void {
    const codec = entry.kind.snapshot;
    const snapshots = this.options.snapshots;
    if (!codec || !snapshots || entry.revision < 0n || entry.revision - entry.snapshotRevision < this.snapshotEvery) return;
    entry.snapshotRevision = entry.revision;
    const snapshot = {
      streamId: entry.streamId, version: codec.version, revision: entry.revision, position: entry.lastPosition, state: codec.encode(entry.state),
    };
    snapshots.save(snapshot).catch((error: unknown) => this.options.onSnapshotError?.(error));
  }

  /**
   * After an append of `events` that answered `result`: folds them in without reading the
   * stream back when they directly follow the cached revision (the common case: nothing else
   * was appended to this stream meanwhile); otherwise catches up from the store as `refresh`.
   *
   * Folding our own events is exact even when the append was answered as a replay: the store
   * answers a replay only when the stored events have these types and data at these revisions.
   * One append's events get consecutive positions (one writer, inserted one after another).
   * Both hold for the embedded store and PostgreSQL (appends under one advisory lock, positions
   * `max + 1 …` gapless, a replay answered only when stream, types, revisions and data match:
   * docs/postgres.md); EventStoreDB's positions have gaps and its id dedupe is best effort, so
   * there we always read back.
   */
  async advance<S>(entry: CachedStream<S>, events: readonly DomainEvent[], result: AppendResult): Promise<void> {
    const count = BigInt(events.length);
    return this.serialized(entry, async () => {
      if (!EXACT_APPEND_ANSWERS.has(this.store.kind) || entry.revision !== result.nextRevision - count) {
        await this.catchUp(entry);
      } else {
        events.forEach((event, i) => {
          const back = count - 1n - BigInt(i);
          fold(entry, event, result.nextRevision - back, result.position - back);
        });
      }
      this.maybeSnapshot(entry);
    });
  }

  private async serialized<S>(entry: CachedStream<S>, work: () => Promise<void>): Promise<void> {
    const run = entry.tail.then(work);
    entry.tail = run.catch(() => undefined);
    try {
      await run;
    } catch (error) {
      // A failed read may leave the state half caught up: start this stream afresh next time.
      if (this.entries.get(entry.streamId) === entry) this.entries.delete(entry.streamId);
      throw error;
    }
  }
}

/** Stores whose append answers let the cache fold its own events (see `advance`). */
const EXACT_APPEND_ANSWERS: ReadonlySet<EventStore['kind']> = new Set(['embedded', 'postgres']);

/** Positions beyond this many are checked against what the state still remembers. */
const POSITIONS_SLACK = 1024;

function fold<S>(entry: CachedStream<S>, event: DomainEvent, revision: bigint, position: bigint): void {
  const key = idempotencyKeyOf(event);
  if (key !== undefined && !entry.positions.has(key)) entry.positions.set(key, position);
  entry.state = entry.kind.evolve(entry.state, event);
  entry.revision = revision;
  entry.lastPosition = position;
  const remembers = entry.kind.remembers;
  if (remembers && entry.positions.size > POSITIONS_SLACK && entry.positions.size % POSITIONS_SLACK === 0) {
    // Drop the positions of keys the state's dedupe window has forgotten, so this map is bounded
    // by the window like the state (a scan every POSITIONS_SLACK new keys: amortized size/1024).
    for (const k of entry.positions.keys()) if (!remembers(entry.state, k)) entry.positions.delete(k);
  }
}
