/**
 * In-process cache of stream states, so deciding does not replay a whole stream each time:
 * each entry keeps `{state, revision}` and a refresh reads only the events after that revision.
 * Bounded by stream count (least recently used first out).
 *
 * Refreshes of one entry are serialized: `evolve` updates the state in place, and two overlapping
 * catch-ups would apply the same events twice.
 */
import type { DomainEvent } from '../../schemas/types';
import { idempotencyKeyOf } from '../domain/idempotency';
import type { AppendResult, EventStore } from '../eventstore/port';

export interface StreamKind<S> {
  readonly initial: () => S;
  readonly evolve: (state: S, event: DomainEvent) => S;
}

export interface CachedStream<S> {
  readonly streamId: string;
  state: S;
  /** Revision of the last event folded in; -1n while the stream does not exist. */
  revision: bigint;
  /** Global position of that event (0n while the stream does not exist). */
  lastPosition: bigint;
  /** First position at which each idempotency key was stored (a repeat answers it). */
  readonly positions: Map<string, bigint>;
  readonly kind: StreamKind<S>;
  tail: Promise<void>;
}

export class StreamCache {
  private readonly entries = new Map<string, CachedStream<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly maxStreams: number,
  ) {}

  /** The entry, caught up with the store (unless `upToDate` says its state can no longer change). */
  async load<S>(streamId: string, kind: StreamKind<S>, upToDate?: (state: S) => boolean): Promise<CachedStream<S>> {
    let entry = this.entries.get(streamId) as CachedStream<S> | undefined;
    if (entry) {
      this.entries.delete(streamId); // re-insert: most recently used last
    } else {
      entry = { streamId, state: kind.initial(), revision: -1n, lastPosition: 0n, positions: new Map(), kind, tail: Promise.resolve() };
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
      const recorded = await this.store.readStream(entry.streamId, { fromRevision: entry.revision + 1n });
      for (const r of recorded) fold(entry, { type: r.type, data: r.data } as DomainEvent, r.revision, r.position);
    });
  }

  /**
   * After an append of `events` that answered `result`: folds them in without reading the
   * stream back when they directly follow the cached revision (the common case: nothing else
   * was appended to this stream meanwhile); otherwise catches up from the store as `refresh`.
   *
   * Folding our own events is exact even when the append was answered as a replay: the store
   * answers a replay only when the stored events have these types and data at these revisions.
   * One append's events get consecutive positions (one writer, inserted one after another).
   * Both hold for the embedded store only; EventStoreDB's positions have gaps and its id
   * dedupe is best effort, so there we always read back.
   */
  async advance<S>(entry: CachedStream<S>, events: readonly DomainEvent[], result: AppendResult): Promise<void> {
    const count = BigInt(events.length);
    return this.serialized(entry, async () => {
      if (this.store.kind !== 'embedded' || entry.revision !== result.nextRevision - count) {
        const recorded = await this.store.readStream(entry.streamId, { fromRevision: entry.revision + 1n });
        for (const r of recorded) fold(entry, { type: r.type, data: r.data } as DomainEvent, r.revision, r.position);
        return;
      }
      events.forEach((event, i) => {
        const back = count - 1n - BigInt(i);
        fold(entry, event, result.nextRevision - back, result.position - back);
      });
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

function fold<S>(entry: CachedStream<S>, event: DomainEvent, revision: bigint, position: bigint): void {
  const key = idempotencyKeyOf(event);
  if (key !== undefined && !entry.positions.has(key)) entry.positions.set(key, position);
  entry.state = entry.kind.evolve(entry.state, event);
  entry.revision = revision;
  entry.lastPosition = position;
}
